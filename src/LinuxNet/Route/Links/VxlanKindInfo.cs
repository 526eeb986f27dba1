using System.Net;

namespace LinuxNet.Route;

/// <summary>A VXLAN device's settings, as <c>ip -d link show</c> prints after <c>vxlan</c>.</summary>
public sealed class VxlanKindInfo : LinkKindInfo
{
    internal VxlanKindInfo()
        : base("vxlan")
    {
    }

    /// <summary>The VXLAN network identifier (VNI). Kernel: <c>IFLA_VXLAN_ID</c>.</summary>
    public uint Id { get; internal set; }

    /// <summary>The UDP destination port. Kernel: <c>IFLA_VXLAN_PORT</c> (network byte order).</summary>
    public ushort Port { get; internal set; }

    /// <summary>The local (source) address, or <see langword="null"/>. Kernel: <c>IFLA_VXLAN_LOCAL</c>/<c>IFLA_VXLAN_LOCAL6</c>.</summary>
    public IPAddress? Local { get; internal set; }

    /// <summary>The unicast remote address, or <see langword="null"/> (see <see cref="Group"/>). Kernel: <c>IFLA_VXLAN_GROUP</c>/<c>GROUP6</c> holding a unicast address.</summary>
    public IPAddress? Remote { get; internal set; }

    /// <summary>The multicast group, or <see langword="null"/>. Kernel: <c>IFLA_VXLAN_GROUP</c>/<c>GROUP6</c> holding a multicast address.</summary>
    public IPAddress? Group { get; internal set; }

    /// <summary>The underlay device's index, or <see langword="null"/>. Kernel: <c>IFLA_VXLAN_LINK</c>.</summary>
    public int? UnderlayIndex { get; internal set; }

    /// <summary>Whether the device learns remote MACs. Kernel: <c>IFLA_VXLAN_LEARNING</c>.</summary>
    public bool Learning { get; internal set; }

    /// <summary>The outer TTL; 0 means inherit/default. Kernel: <c>IFLA_VXLAN_TTL</c>.</summary>
    public byte Ttl { get; internal set; }
}
