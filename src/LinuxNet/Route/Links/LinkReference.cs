using System;

namespace LinuxNet.Route;

/// <summary>
/// Names a link either by interface name or by interface index, so every link verb takes both:
/// <c>links.SetUp("v0")</c> and <c>links.SetUp(3)</c>.
/// </summary>
/// <remarks>
/// A name is resolved to an index with one <c>RTM_GETLINK</c> before the request, as iproute2 does for
/// <c>ip link set dev NAME …</c>. Names are checked (1–15 bytes, no <c>/</c>, <c>:</c> or whitespace, not
/// <c>.</c>/<c>..</c>) when the reference is used, before anything is sent. The link verbs of <see cref="LinkManager"/>
/// and the nexthop device also take one of the link's alternative names (<see cref="LinkInfo.AlternativeNames"/>, up to
/// 127 bytes, no <c>/</c> or whitespace): a name of 16 bytes or more is looked up with <c>IFLA_ALT_IFNAME</c>, as
/// iproute2 does, and a shorter one with <c>IFLA_IFNAME</c>, which the kernel also matches against alternative names.
/// The address, route, neighbour and rule specs keep the interface-name rules (use the index or the link's name there).
/// </remarks>
public readonly struct LinkReference : IEquatable<LinkReference>
{
    private LinkReference(string? name, int index)
    {
        Name = name;
        Index = index;
    }

    /// <summary>The name, or <see langword="null"/> when the reference is by index.</summary>
    public string? Name { get; }

    /// <summary>The index, or 0 when the reference is by name.</summary>
    public int Index { get; }

    /// <summary><see langword="true"/> when the reference is by name.</summary>
    public bool IsName => Name is not null;

    /// <summary>A reference by interface name.</summary>
    /// <param name="name">The interface name.</param>
    /// <returns>The reference.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    public static LinkReference FromName(string name) => new(name ?? throw new ArgumentNullException(nameof(name)), 0);

    /// <summary>A reference by interface index.</summary>
    /// <param name="index">The interface index (positive).</param>
    /// <returns>The reference.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not positive.</exception>
    public static LinkReference FromIndex(int index)
        => index > 0 ? new(null, index) : throw new ArgumentOutOfRangeException(nameof(index), index, "An interface index is a positive number.");

    /// <summary>Converts an interface name to a reference.</summary>
    /// <param name="name">The interface name.</param>
    public static implicit operator LinkReference(string name) => FromName(name);

    /// <summary>Converts an interface index to a reference.</summary>
    /// <param name="index">The interface index.</param>
    public static implicit operator LinkReference(int index) => FromIndex(index);

    /// <summary>Compares two references.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns><see langword="true"/> when both name the same thing the same way.</returns>
    public static bool operator ==(LinkReference left, LinkReference right) => left.Equals(right);

    /// <summary>Compares two references.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns><see langword="true"/> when they differ.</returns>
    public static bool operator !=(LinkReference left, LinkReference right) => !left.Equals(right);

    /// <inheritdoc/>
    public bool Equals(LinkReference other) => string.Equals(Name, other.Name, StringComparison.Ordinal) && Index == other.Index;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is LinkReference other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, Index);

    /// <summary>The name, or <c>#INDEX</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Name ?? "#" + Index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <param name="parameterName">The parameter named by the exception.</param>
    /// <param name="allowAlternativeName">
    /// Whether the name may be an alternative name that the interface-name rules refuse (longer than 15 bytes, or with
    /// <c>:</c>): <see langword="true"/> for the link verbs and nexthops, which resolve the name with the kernel;
    /// <see langword="false"/> where a spec keeps the stricter rules (addresses, routes, neighbours, and rules, whose
    /// kernel attributes carry interface names).
    /// </param>
    internal void Validate(string parameterName, bool allowAlternativeName = false)
    {
        if (Name is not null)
        {
            if (allowAlternativeName)
            {
                AlternativeName.ValidateReference(Name, parameterName);
            }
            else
            {
                InterfaceName.Validate(Name, parameterName);
            }
        }
        else if (Index <= 0)
        {
            throw new ArgumentException("The link reference is empty: give an interface name or a positive index.", parameterName);
        }
    }
}
