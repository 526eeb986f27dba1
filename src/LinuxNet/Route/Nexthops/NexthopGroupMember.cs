using System;

namespace LinuxNet.Route;

/// <summary>One member of a nexthop group: a nexthop id and its weight (<c>group ID[,WEIGHT]/…</c>).</summary>
/// <remarks>Kernel: <c>struct nexthop_grp</c> in <c>NHA_GROUP</c>, which carries the weight as <c>weight - 1</c> in one byte.</remarks>
public readonly struct NexthopGroupMember : IEquatable<NexthopGroupMember>
{
    /// <summary>The largest weight the kernel accepts (the byte holds weight - 1).</summary>
    public const int MaxWeight = 256;

    /// <summary>A member with the given weight.</summary>
    /// <param name="id">The id of an existing single nexthop (not a group).</param>
    /// <param name="weight">The weight, 1 to 256; checked when the group is added.</param>
    public NexthopGroupMember(uint id, int weight = 1)
    {
        Id = id;
        Weight = weight;
    }

    /// <summary>The member nexthop's id.</summary>
    public uint Id { get; }

    /// <summary>The weight, 1 to 256: the member's share is its weight over the sum of the group's weights.</summary>
    public int Weight { get; }

    /// <summary>Compares two members.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns><see langword="true"/> when id and weight are equal.</returns>
    public static bool operator ==(NexthopGroupMember left, NexthopGroupMember right) => left.Equals(right);

    /// <summary>Compares two members.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns><see langword="true"/> when they differ.</returns>
    public static bool operator !=(NexthopGroupMember left, NexthopGroupMember right) => !left.Equals(right);

    /// <inheritdoc/>
    public bool Equals(NexthopGroupMember other) => Id == other.Id && Weight == other.Weight;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is NexthopGroupMember other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Id, Weight);

    /// <summary>Formats the member as <c>ip nexthop</c> does: <c>ID</c>, or <c>ID,WEIGHT</c> when the weight is not 1.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
        => Weight == 1
            ? Id.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : Id.ToString(System.Globalization.CultureInfo.InvariantCulture) + "," + Weight.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
