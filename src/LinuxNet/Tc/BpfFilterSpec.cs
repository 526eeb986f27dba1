using System;
using LinuxNet.Netlink;
using LinuxNet.Route;

namespace LinuxNet.Tc;

/// <summary>
/// A bpf filter running a loaded <c>BPF_PROG_TYPE_SCHED_CLS</c> program:
/// <c>tc filter add dev DEV ingress bpf [da] (fd FD | pinned PATH) [name NAME] [classid C] [action …]</c>.
/// </summary>
/// <remarks>
/// The program is given by its file descriptor (from <c>bpf(BPF_PROG_LOAD)</c> or <c>BPF_OBJ_GET</c>); the caller
/// keeps it open until the request returns (the kernel then holds its own reference).
/// </remarks>
public sealed class BpfFilterSpec : TcFilterSpec
{
    /// <summary>Describes a bpf filter.</summary>
    /// <param name="link">The device.</param>
    /// <param name="parent">The hook or qdisc (<see cref="TcHandle.IngressFilters"/>, <see cref="TcHandle.EgressFilters"/>, <c>1:</c>).</param>
    /// <param name="programFd">The program's file descriptor.</param>
    public BpfFilterSpec(LinkReference link, TcHandle parent, int programFd)
        : base(link, parent)
        => ProgramFd = programFd;

    /// <inheritdoc/>
    public override string Kind => "bpf";

    /// <summary>The program's file descriptor. Kernel: <c>TCA_BPF_FD</c>.</summary>
    public int ProgramFd { get; }

    /// <summary>The name shown by <c>tc filter show</c>. Kernel: <c>TCA_BPF_NAME</c>.</summary>
    public string? Name { get; init; }

    /// <summary>The program's return value is the verdict (<c>da</c>/<c>direct-action</c>). Kernel: <c>TCA_BPF_FLAG_ACT_DIRECT</c>.</summary>
    public bool DirectAction { get; init; }

    /// <summary>The class matched packets go to (<c>classid</c>); <see langword="null"/> for none.</summary>
    public TcHandle? ClassId { get; init; }

    internal override void Validate()
    {
        base.Validate();
        if (ProgramFd < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ProgramFd), ProgramFd, "A program file descriptor is 0 or more.");
        }

        if (Name is { Length: 0 or > 255 })
        {
            throw new ArgumentException("A bpf filter name is 1 to 255 characters.", nameof(Name));
        }
    }

    internal override void WriteOptions(ref NetlinkMessageWriter writer, ReadOnlySpan<int> targets)
    {
        NestedAttribute options = writer.BeginNested(LinuxPktSched.TCA_OPTIONS);
        writer.WriteUInt32(LinuxPktCls.TCA_BPF_FD, (uint)ProgramFd);
        if (Name is not null)
        {
            writer.WriteString(LinuxPktCls.TCA_BPF_NAME, Name);
        }

        if (ClassId is { } classId)
        {
            writer.WriteUInt32(LinuxPktCls.TCA_BPF_CLASSID, classId.Value);
        }

        WriteActions(ref writer, LinuxPktCls.TCA_BPF_ACT, targets);
        if (DirectAction)
        {
            writer.WriteUInt32(LinuxPktCls.TCA_BPF_FLAGS, LinuxPktCls.TCA_BPF_FLAG_ACT_DIRECT);
        }

        LinkMessages.EndNested(ref writer, options);
    }
}
