using System;

namespace LinuxNet.Route;

/// <summary>
/// A link of any kind by its kernel name, with only the common attributes and no kind options: for kinds LinuxNet has
/// no spec for (the kernel decides whether it has a driver for it). Equivalent to <c>ip link add NAME type KIND</c>.
/// </summary>
/// <remarks>
/// The request carries <c>IFLA_INFO_KIND</c> and no <c>IFLA_INFO_DATA</c>, byte for byte as iproute2's for the same
/// command. A kind no driver has fails with <see cref="LinuxNetException.IsNotSupported"/> and the kernel's
/// "Unknown device type".
/// </remarks>
public sealed class GenericLinkSpec : LinkSpec
{
    /// <summary>The longest kind name accepted (the kernel's rtnl_link_ops names are short; module names are at most 55 bytes).</summary>
    public const int MaxKindLength = 55;

    /// <summary>Describes a link of kind <paramref name="kind"/>.</summary>
    /// <param name="name">The interface name.</param>
    /// <param name="kind">The kernel's kind name, e.g. <c>"nlmon"</c> or <c>"vcan"</c>: printable ASCII, no spaces.</param>
    /// <exception cref="ArgumentException"><paramref name="kind"/> is empty, too long, or not printable ASCII without spaces.</exception>
    public GenericLinkSpec(string name, string kind)
        : base(name)
    {
        if (kind is null)
        {
            throw new ArgumentNullException(nameof(kind));
        }

        if (kind.Length == 0 || kind.Length > MaxKindLength)
        {
            throw new ArgumentException($"A link kind is 1 to {MaxKindLength} characters.", nameof(kind));
        }

        foreach (char c in kind)
        {
            if (c <= ' ' || c > '~')
            {
                throw new ArgumentException($"A link kind is printable ASCII without spaces: '{kind}'.", nameof(kind));
            }
        }

        KindName = kind;
    }

    /// <inheritdoc/>
    public override string Kind => KindName;

    private string KindName { get; }
}
