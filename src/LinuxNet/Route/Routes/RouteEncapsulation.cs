using System;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>
/// A lightweight-tunnel encapsulation of a route or of one next hop (<c>ip route add … encap TYPE …</c>):
/// <see cref="Seg6Encapsulation"/> (<c>encap seg6</c>) or <see cref="MplsEncapsulation"/> (<c>encap mpls</c>).
/// </summary>
/// <remarks>
/// Kernel: <c>RTA_ENCAP_TYPE</c> (<c>LWTUNNEL_ENCAP_*</c>, <c>/usr/include/linux/lwtunnel.h</c>) and the nested
/// <c>RTA_ENCAP</c>, in a route or inside an <c>RTA_MULTIPATH</c> entry. The same types are read back in
/// <see cref="RouteInfo.Encapsulation"/> and <see cref="RouteNextHopInfo.Encapsulation"/>.
/// </remarks>
public abstract class RouteEncapsulation
{
    private protected RouteEncapsulation()
    {
    }

    /// <summary>The kernel's encapsulation type (<c>LWTUNNEL_ENCAP_*</c>: 1 MPLS, 5 seg6).</summary>
    public abstract int KernelType { get; }

    /// <summary>The most bytes the nested <c>RTA_ENCAP</c> and <c>RTA_ENCAP_TYPE</c> take.</summary>
    internal abstract int MaxSize { get; }

    /// <summary>Throws <see cref="ArgumentException"/> for what the kernel or iproute2 would refuse.</summary>
    internal abstract void Validate(string parameterName);

    /// <summary>Writes the attributes inside <c>RTA_ENCAP</c>.</summary>
    internal abstract void WriteBody(ref NetlinkMessageWriter writer);

    /// <summary>Writes <c>RTA_ENCAP</c> (nested) then <c>RTA_ENCAP_TYPE</c>, in iproute2's order.</summary>
    internal static void Write(ref NetlinkMessageWriter writer, RouteEncapsulation encapsulation)
    {
        NestedAttribute nest = writer.BeginNested(LinuxRtnetlink.RTA_ENCAP);
        encapsulation.WriteBody(ref writer);
        writer.EndNested(nest);
        writer.WriteUInt16(LinuxRtnetlink.RTA_ENCAP_TYPE, (ushort)encapsulation.KernelType);
    }

    /// <summary>
    /// The encapsulation of a route or next hop from its <c>RTA_ENCAP_TYPE</c> and <c>RTA_ENCAP</c> value;
    /// <see langword="null"/> for none or for a type LinuxNet does not model (bpf, ila, ioam6, …).
    /// </summary>
    internal static RouteEncapsulation? Parse(ushort type, ReadOnlySpan<byte> encap) => type switch
    {
        LinuxLwtunnel.LWTUNNEL_ENCAP_SEG6 => Seg6Encapsulation.Parse(encap),
        LinuxLwtunnel.LWTUNNEL_ENCAP_MPLS => MplsEncapsulation.Parse(encap),
        _ => null,
    };
}
