using System;
using LinuxNet.Netlink;
using LinuxNet.Route;

namespace LinuxNet.Tc;

/// <summary>
/// A queueing discipline to add, replace or change with <see cref="TrafficControlManager"/>: the device, where it hangs
/// (<see cref="Parent"/>), its handle and a kind (one subtype per kind: <see cref="TbfQdiscSpec"/>,
/// <see cref="HtbQdiscSpec"/>, <see cref="PfifoQdiscSpec"/>, <see cref="BfifoQdiscSpec"/>, <see cref="IngressQdiscSpec"/>,
/// <see cref="ClsactQdiscSpec"/>, <see cref="NetemQdiscSpec"/>, <see cref="FqCodelQdiscSpec"/>).
/// </summary>
/// <remarks>
/// Equivalent to <c>tc qdisc add dev DEV [parent P | root] [handle H:] KIND [OPTIONS]</c>. Everything is checked
/// before anything is sent: bad options give an <see cref="ArgumentException"/>.
/// </remarks>
public abstract class QdiscSpec
{
    private protected QdiscSpec(LinkReference link)
    {
        Link = link;
        Parent = TcHandle.Root;
    }

    /// <summary>The device (<c>dev</c>).</summary>
    public LinkReference Link { get; }

    /// <summary>Where the qdisc hangs: <see cref="TcHandle.Root"/> (default, <c>root</c>) or a class (<c>parent 1:10</c>).</summary>
    public TcHandle Parent { get; init; }

    /// <summary>The qdisc's handle (<c>handle 1:</c>, minor 0); <see cref="TcHandle.None"/> lets the kernel choose one.</summary>
    public TcHandle Handle { get; init; }

    /// <summary>The kind, as <c>tc</c> names it. Kernel: <c>TCA_KIND</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>Checks the options; throws <see cref="ArgumentException"/> for a bad value.</summary>
    internal virtual void Validate()
    {
        Link.Validate(nameof(Link));
        if (Handle.Minor != 0)
        {
            throw new ArgumentException($"A qdisc handle has minor 0 (e.g. 1:), not {Handle}.", nameof(Handle));
        }
    }

    /// <summary>Writes <c>TCA_OPTIONS</c> as tc does for this kind (nothing for a kind without options).</summary>
    internal abstract void WriteOptions(ref NetlinkMessageWriter writer, PacketSchedulerClock clock);
}
