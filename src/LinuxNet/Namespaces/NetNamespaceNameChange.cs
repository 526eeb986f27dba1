using System;

namespace LinuxNet.Namespaces;

/// <summary>One change of the named network namespaces, reported by <see cref="NetNamespaceMonitor"/>.</summary>
public readonly struct NetNamespaceNameChange : IEquatable<NetNamespaceNameChange>
{
    /// <summary>Creates a change.</summary>
    /// <param name="kind">What happened.</param>
    /// <param name="name">The name, or <see langword="null"/> for <see cref="NetNamespaceNameChangeKind.Overflow"/>.</param>
    public NetNamespaceNameChange(NetNamespaceNameChangeKind kind, string? name)
    {
        Kind = kind;
        Name = name;
    }

    /// <summary>What happened.</summary>
    public NetNamespaceNameChangeKind Kind { get; }

    /// <summary>The namespace's name (a file name under <see cref="NetNamespace.RunDirectory"/>), or <see langword="null"/> for an overflow.</summary>
    public string? Name { get; }

    /// <summary>Compares two changes.</summary>
    /// <param name="left">A change.</param>
    /// <param name="right">Another change.</param>
    /// <returns><see langword="true"/> when kind and name are equal.</returns>
    public static bool operator ==(NetNamespaceNameChange left, NetNamespaceNameChange right) => left.Equals(right);

    /// <summary>Compares two changes.</summary>
    /// <param name="left">A change.</param>
    /// <param name="right">Another change.</param>
    /// <returns><see langword="true"/> when kind or name differ.</returns>
    public static bool operator !=(NetNamespaceNameChange left, NetNamespaceNameChange right) => !left.Equals(right);

    /// <inheritdoc/>
    public bool Equals(NetNamespaceNameChange other) => Kind == other.Kind && string.Equals(Name, other.Name, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is NetNamespaceNameChange other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, Name is null ? 0 : StringComparer.Ordinal.GetHashCode(Name));

    /// <summary>The change as <c>ip netns monitor</c> prints it: <c>add NAME</c>, <c>delete NAME</c>.</summary>
    /// <returns>The line.</returns>
    public override string ToString() => Kind switch
    {
        NetNamespaceNameChangeKind.Added => "add " + Name,
        NetNamespaceNameChangeKind.Deleted => "delete " + Name,
        _ => "overflow",
    };
}
