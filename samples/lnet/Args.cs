namespace LinuxNet.Samples.Lnet;

/// <summary>A usage error: printed as is to stderr; the exit code follows iproute2 (255 for bad usage).</summary>
public sealed class UsageException : Exception
{
    /// <summary>Creates a usage error with iproute2's exit code for it.</summary>
    public UsageException(string message, int exitCode = 255)
        : base(message)
    {
        ExitCode = exitCode;
    }

    /// <summary>The process exit code.</summary>
    public int ExitCode { get; }
}

/// <summary>Reads the words of a command line the way iproute2 does: keywords may be abbreviated (<c>matches()</c>).</summary>
internal sealed class Args
{
    private readonly string[] _words;
    private int _next;

    public Args(string[] words, int start = 0)
    {
        _words = words;
        _next = start;
    }

    public bool AtEnd => _next >= _words.Length;

    public string? Peek => AtEnd ? null : _words[_next];

    /// <summary>The words not read yet.</summary>
    public string[] Rest => _words[_next..];

    /// <summary>iproute2's <c>matches(arg, keyword)</c>: <paramref name="word"/> is a non-empty prefix of <paramref name="keyword"/>.</summary>
    public static bool Matches(string word, string keyword)
        => word.Length > 0 && word.Length <= keyword.Length && keyword.StartsWith(word, StringComparison.Ordinal);

    public string Next()
    {
        if (AtEnd)
        {
            throw new UsageException("Command line is not complete. Try option \"help\"");
        }

        return _words[_next++];
    }

    /// <summary>The value that follows keyword <paramref name="keyword"/>.</summary>
    public string Value(string keyword)
    {
        if (AtEnd)
        {
            throw new UsageException($"Command line is not complete. Try option \"help\" (\"{keyword}\" needs an argument)");
        }

        return _words[_next++];
    }

    /// <summary>Consumes the next word if it equals one of <paramref name="keywords"/> exactly.</summary>
    /// <summary>
    /// Reads the rest of the words as one subject, given either as <c>KEYWORD X</c> or as a bare <c>X</c> (like
    /// <c>dev eth0</c> / <c>eth0</c>); any other word throws <paramref name="unexpected"/>'s exception.
    /// </summary>
    public string? Subject(string keyword, Func<string, UsageException> unexpected)
    {
        string? subject = null;
        while (!AtEnd)
        {
            string word = Next();
            subject = word == keyword ? Value(word) : subject is null ? word : throw unexpected(word);
        }

        return subject;
    }

    public bool Take(params string[] keywords)
    {
        if (!AtEnd && Array.IndexOf(keywords, _words[_next]) >= 0)
        {
            _next++;
            return true;
        }

        return false;
    }

    public static uint ParseUInt(string keyword, string value)
    {
        bool ok = value.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.TryParse(value.AsSpan(2), System.Globalization.NumberStyles.HexNumber, null, out uint result)
            : uint.TryParse(value, out result);
        return ok ? result : throw Invalid(keyword, value);
    }

    public static int ParseInt(string keyword, string value)
        => int.TryParse(value, out int result) ? result : throw Invalid(keyword, value);

    public static UsageException Invalid(string keyword, string value)
        => new($"Error: argument \"{value}\" is wrong: invalid \"{keyword}\" value");
}
