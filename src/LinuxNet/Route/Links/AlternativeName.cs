using System;
using System.Text;

namespace LinuxNet.Route;

/// <summary>
/// The rules for alternative interface names (<c>ip link property add dev X altname NAME</c>) and for names a
/// <see cref="LinkReference"/> may carry: an interface name (1–15 bytes) or an alternative name (up to 127 bytes).
/// </summary>
internal static class AlternativeName
{
    /// <summary><c>ALTIFNAMSIZ</c> - 1: the longest alternative name in bytes.</summary>
    internal const int MaxLength = LinuxLinkProp.ALTIFNAMSIZ - 1;

    /// <summary>Whether the kernel must be asked by <c>IFLA_ALT_IFNAME</c>: the name is too long for <c>IFLA_IFNAME</c>.</summary>
    /// <remarks>iproute2's <c>ll_link_get</c> does the same: a name that fails <c>check_ifname</c> is sent as <c>IFLA_ALT_IFNAME</c>.</remarks>
    internal static bool NeedsAltIfname(string name) => Encoding.UTF8.GetByteCount(name) > InterfaceName.MaxLength;

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="name"/> is a valid alternative name (iproute2's <c>check_altifname</c>).</summary>
    internal static void Validate(string? name, string parameterName)
    {
        if (name is null)
        {
            throw new ArgumentNullException(parameterName);
        }

        if (GetProblem(name) is { } problem)
        {
            throw new ArgumentException($"'{name}' is not a valid alternative interface name: {problem}.", parameterName);
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="name"/> may name a link: an interface name, or a longer alternative name.</summary>
    /// <remarks>
    /// The kernel checks alternative names more loosely than interface names (<c>ab:cd</c> is a valid alternative name,
    /// never an interface name), so a name that fails the interface-name rules is checked as an alternative name;
    /// <c>.</c> and <c>..</c> stay refused.
    /// </remarks>
    internal static void ValidateReference(string? name, string parameterName)
    {
        if (name is null || name is "." or ".." || (!NeedsAltIfname(name) && InterfaceName.GetProblem(name) is null))
        {
            InterfaceName.Validate(name, parameterName);
        }
        else
        {
            Validate(name, parameterName);
        }
    }

    private static string? GetProblem(string name)
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

        foreach (char c in name)
        {
            if (c == '/' || char.IsWhiteSpace(c) || c == '\0')
            {
                return c == '\0' ? "it contains a NUL" : $"it contains '{(c == '/' ? "/" : "whitespace")}'";
            }
        }

        return null;
    }
}
