using System;
using System.Text;

namespace LinuxNet;

/// <summary>The kernel's rules for interface names (<c>dev_valid_name</c> in net/core/dev.c), checked before any syscall.</summary>
internal static class InterfaceName
{
    /// <summary><c>IFNAMSIZ</c> - 1: the longest name in bytes.</summary>
    internal const int MaxLength = 15;

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="name"/> is a valid interface name.</summary>
    internal static void Validate(string? name, string parameterName, bool allowPattern = false)
    {
        if (name is null)
        {
            throw new ArgumentNullException(parameterName);
        }

        string? problem = GetProblem(name, allowPattern);
        if (problem is not null)
        {
            throw new ArgumentException($"'{name}' is not a valid interface name: {problem}.", parameterName);
        }
    }

    /// <summary>Why <paramref name="name"/> is not a valid interface name, or <see langword="null"/> when it is.</summary>
    internal static string? GetProblem(string name, bool allowPattern = false)
    {
        if (name.Length == 0)
        {
            return "it is empty";
        }

        int bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes > MaxLength)
        {
            return $"it is {bytes} bytes long and the kernel allows at most {MaxLength}";
        }

        if (name is "." or "..")
        {
            return "'.' and '..' are reserved";
        }

        foreach (char c in name)
        {
            if (c == '/' || c == ':' || char.IsWhiteSpace(c) || c == '\0')
            {
                return c == '\0' ? "it contains a NUL" : $"it contains '{(char.IsWhiteSpace(c) ? "whitespace" : c.ToString())}'";
            }
        }

        if (!allowPattern && name.IndexOf('%') >= 0)
        {
            return "'%' is only allowed in a kernel name pattern such as 'tun%d'";
        }

        return null;
    }
}
