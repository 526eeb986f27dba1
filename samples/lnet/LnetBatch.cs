using System.Text;

namespace LinuxNet.Samples.Lnet;

/// <summary>
/// <c>lnet [-force] -batch FILE</c>, as <c>ip -batch</c>: each line of FILE (<c>-</c> for stdin) is a command line
/// without the leading <c>lnet</c>, its words split as iproute2 splits them (blanks separate words, a word in single or
/// double quotes may hold blanks, <c>#</c> starts a comment, a backslash at the end of a line joins the next). Blank
/// lines are skipped. Without <c>-force</c> the first failing line stops the batch with <c>Command failed FILE:LINE</c>
/// and exit code 1; with it every line runs and the exit code is 1 at the end if any failed.
/// </summary>
/// <remarks>
/// All lines share one context: one rtnetlink session (in the namespace of <c>-n</c>) for the whole file, and link
/// names resolved once. A line that starts with options of its own (<c>-j link show</c>) runs in a context of its
/// own, with the file's options and its own on top.
/// </remarks>
internal static class LnetBatch
{
    public static int Run(string file, TextReader stdin, LnetOptions options, TextWriter stdout, TextWriter stderr, bool inherit, CancellationToken cancellationToken)
    {
        TextReader reader;
        if (file == "-")
        {
            reader = stdin;
        }
        else
        {
            try
            {
                reader = new StreamReader(file, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 65536);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                string reason = e switch
                {
                    FileNotFoundException or DirectoryNotFoundException => "No such file or directory",
                    UnauthorizedAccessException => "Permission denied",
                    _ => e.Message,
                };
                stderr.WriteLine($"Cannot open file \"{file}\" for reading: {reason}");
                return 1;
            }
        }

        try
        {
            using var context = new LnetContext(options, stdout, stderr, inherit, cancellationToken);
            context.CacheLinkNames();
            int status = 0;
            int lineNumber = 0;
            var words = new List<string>();
            while (!cancellationToken.IsCancellationRequested && ReadCommandLine(reader, ref lineNumber) is { } line)
            {
                if (!Split(line, words))
                {
                    stderr.WriteLine("Unterminated quoted string");
                    return 1;
                }

                if (words.Count == 0)
                {
                    continue;
                }

                string[] args = [.. words];
                if (RunLine(context, args, options, stdout, stderr) != 0)
                {
                    stderr.WriteLine($"Command failed {file}:{lineNumber}");
                    status = 1;
                    if (!options.Force)
                    {
                        break;
                    }
                }
            }

            return status;
        }
        finally
        {
            if (!ReferenceEquals(reader, stdin))
            {
                reader.Dispose();
            }
        }
    }

    private static int RunLine(LnetContext context, string[] args, LnetOptions options, TextWriter stdout, TextWriter stderr)
    {
        if (args[0].StartsWith('-') && args[0].Length > 1)
        {
            // Options of its own: a context of its own.
            LnetOptions own = options.Clone();
            own.Batch = null;
            int i = 0;
            try
            {
                if (Lnet.ParseOptions(args, ref i, own, stdout, stderr) is int exit)
                {
                    return exit;
                }

                if (own.Batch is not null)
                {
                    throw new UsageException("Option \"-batch\" cannot be used inside a batch.");
                }

                if (i >= args.Length)
                {
                    stderr.WriteLine(Lnet.Usage);
                    return 255;
                }
            }
            catch (UsageException e)
            {
                stderr.WriteLine(e.Message);
                return e.ExitCode;
            }

            using var lineContext = new LnetContext(own, stdout, stderr, context.InheritConsole, context.CancellationToken);
            return Lnet.Dispatch(lineContext, args, i);
        }

        // Lines that may add, rename, move or delete links make the remembered names stale.
        string objectWord = args[0];
        bool changesLinks = Args.Matches(objectWord, "link") || Args.Matches(objectWord, "tuntap") || objectWord == "tap"
            || Args.Matches(objectWord, "netns");
        if (changesLinks)
        {
            context.ForgetLinkNames();
        }

        int result = Lnet.Dispatch(context, args, 0);
        if (changesLinks)
        {
            context.ForgetLinkNames();
        }

        return result;
    }

    /// <summary>
    /// The next command line, as iproute2's <c>getcmdline</c>: a comment (from <c>#</c>) cut off, a backslash before
    /// the line end joining the next line; <paramref name="lineNumber"/> counts the lines read. Null at the end.
    /// </summary>
    internal static string? ReadCommandLine(TextReader reader, ref int lineNumber)
    {
        string? line = reader.ReadLine();
        if (line is null)
        {
            return null;
        }

        lineNumber++;
        StringBuilder? joined = null;
        while (true)
        {
            int comment = line.IndexOf('#', StringComparison.Ordinal);
            if (comment >= 0)
            {
                line = line[..comment];
            }

            if (!line.EndsWith('\\') || comment >= 0)
            {
                break;
            }

            string? next = reader.ReadLine();
            if (next is null)
            {
                line = line[..^1];
                break;
            }

            lineNumber++;
            joined ??= new StringBuilder();
            joined.Append(line.AsSpan(0, line.Length - 1)).Append(' ');
            line = next;
        }

        return joined is null ? line : joined.Append(line).ToString();
    }

    /// <summary>
    /// Splits a command line into <paramref name="words"/> as iproute2's <c>makeargs</c>: blanks (space, tab, CR)
    /// separate words, a word that starts with a single or double quote runs to the same quote. False for an
    /// unterminated quote.
    /// </summary>
    internal static bool Split(string line, List<string> words)
    {
        words.Clear();
        int i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && IsBlank(line[i]))
            {
                i++;
            }

            if (i >= line.Length)
            {
                break;
            }

            if (line[i] is '\'' or '"')
            {
                char quote = line[i++];
                int end = line.IndexOf(quote, i);
                if (end < 0)
                {
                    return false;
                }

                words.Add(line[i..end]);
                i = end + 1;
            }
            else
            {
                int start = i;
                while (i < line.Length && !IsBlank(line[i]))
                {
                    i++;
                }

                words.Add(line[start..i]);
                i++;
            }
        }

        return true;
    }

    private static bool IsBlank(char c) => c is ' ' or '\t' or '\r' or '\n';
}
