using System;
using System.Collections.Generic;
using LinuxNet.Netlink;
using LinuxNet.Route;

namespace LinuxNet.Tc;

/// <summary>
/// A filter (classifier) to add, replace or change with <see cref="TrafficControlManager"/>: the device, the qdisc or
/// class it attaches to, its priority and protocol, and a kind (<see cref="U32FilterSpec"/>, <see cref="BpfFilterSpec"/>).
/// </summary>
/// <remarks>Equivalent to <c>tc filter add dev DEV parent P protocol PROTO prio N [handle H] KIND [OPTIONS]</c>.</remarks>
public abstract class TcFilterSpec
{
    private protected TcFilterSpec(LinkReference link, TcHandle parent)
    {
        Link = link;
        Parent = parent;
        Protocol = TcProtocol.All;
    }

    /// <summary>The device (<c>dev</c>).</summary>
    public LinkReference Link { get; }

    /// <summary>Where the filter attaches: a qdisc (<c>1:</c>), <c>ffff:</c> for an ingress qdisc, or <see cref="TcHandle.IngressFilters"/>/<see cref="TcHandle.EgressFilters"/>.</summary>
    public TcHandle Parent { get; }

    /// <summary>The priority (<c>prio</c>/<c>pref</c>), lower first; 0 lets the kernel choose.</summary>
    public ushort Priority { get; init; }

    /// <summary>The protocol matched (<c>protocol</c>); default <see cref="TcProtocol.All"/>, as tc.</summary>
    public TcProtocol Protocol { get; init; }

    /// <summary>The filter's handle (<c>handle</c>, e.g. u32's <c>800::800</c> is 0x80000800); 0 lets the kernel choose.</summary>
    public uint Handle { get; init; }

    /// <summary>The kind (<c>u32</c>, <c>bpf</c>). Kernel: <c>TCA_KIND</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>The actions run on a match, in order (<c>action …</c>).</summary>
    public IReadOnlyList<TcAction> Actions { get; init; } = Array.Empty<TcAction>();

    /// <summary>Checks the options; throws <see cref="ArgumentException"/> for a bad value.</summary>
    internal virtual void Validate()
    {
        Link.Validate(nameof(Link));
        if (Parent == TcHandle.None || Parent == TcHandle.Root)
        {
            throw new ArgumentException($"A filter needs a parent qdisc or class (e.g. 1:, ffff:), not {Parent}.", nameof(Parent));
        }

        if (Actions is null)
        {
            throw new ArgumentNullException(nameof(Actions));
        }

        if (Actions.Count > 32)
        {
            throw new ArgumentException("A filter takes at most 32 actions (TCA_ACT_MAX_PRIO).", nameof(Actions));
        }

        foreach (TcAction action in Actions)
        {
            (action ?? throw new ArgumentException("An action is null.", nameof(Actions))).Validate();
        }
    }

    /// <summary>Writes <c>TCA_OPTIONS</c> as tc does for this kind.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="targets">The interface index of each action's target device, in action order (0 for none).</param>
    internal abstract void WriteOptions(ref NetlinkMessageWriter writer, ReadOnlySpan<int> targets);

    /// <summary>Writes the action list nest (<c>TCA_U32_ACT</c>, <c>TCA_BPF_ACT</c>) as tc's <c>parse_action</c> does.</summary>
    private protected void WriteActions(ref NetlinkMessageWriter writer, ushort type, ReadOnlySpan<int> targets)
    {
        if (Actions.Count == 0)
        {
            return;
        }

        NestedAttribute list = writer.BeginNested(type);
        for (int i = 0; i < Actions.Count; i++)
        {
            NestedAttribute entry = writer.BeginNested((ushort)(i + 1));
            writer.WriteString(LinuxPktCls.TCA_ACT_KIND, Actions[i].Kind);
            NestedAttribute options = writer.BeginNested(LinuxPktCls.TCA_ACT_OPTIONS);
            Actions[i].WriteOptions(ref writer, targets[i]);
            writer.EndNested(options);
            LinkMessages.EndNested(ref writer, entry);
        }

        LinkMessages.EndNested(ref writer, list);
    }
}
