using System;
using LinuxNet.Netlink;
using LinuxNet.Route;

namespace LinuxNet.Tc;

/// <summary>
/// A traffic class to add, replace or change with <see cref="TrafficControlManager"/>: the device, the class id, its
/// parent and a kind (<see cref="HtbClassSpec"/>).
/// </summary>
/// <remarks>Equivalent to <c>tc class add dev DEV parent P classid MAJ:MIN KIND [OPTIONS]</c>.</remarks>
public abstract class TcClassSpec
{
    private protected TcClassSpec(LinkReference link, TcHandle classId)
    {
        Link = link;
        ClassId = classId;
        Parent = new TcHandle(classId.Major, 0);
    }

    /// <summary>The device (<c>dev</c>).</summary>
    public LinkReference Link { get; }

    /// <summary>The class id (<c>classid 1:10</c>): the major of its qdisc and a non-zero minor.</summary>
    public TcHandle ClassId { get; }

    /// <summary>The parent: the qdisc (<c>1:</c>, the default) or another class of it (<c>1:1</c>).</summary>
    public TcHandle Parent { get; init; }

    /// <summary>The kind, the same as its qdisc's. Kernel: <c>TCA_KIND</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>Checks the options; throws <see cref="ArgumentException"/> for a bad value.</summary>
    internal virtual void Validate()
    {
        Link.Validate(nameof(Link));
        if (ClassId.Major == 0 || ClassId.Minor == 0 || ClassId == TcHandle.Root)
        {
            throw new ArgumentException($"A class id is MAJ:MIN with both non-zero (e.g. 1:10), not {ClassId}.", nameof(ClassId));
        }

        if (Parent.Major != ClassId.Major)
        {
            throw new ArgumentException($"The parent {Parent} is not in the class's qdisc ({ClassId.Major:x}:).", nameof(Parent));
        }
    }

    /// <summary>Writes <c>TCA_OPTIONS</c> as tc does for this kind.</summary>
    internal abstract void WriteOptions(ref NetlinkMessageWriter writer, PacketSchedulerClock clock);
}
