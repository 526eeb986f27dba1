using System;
using System.Collections.Generic;
using LinuxNet.Netlink;

namespace LinuxNet.Tc;

/// <summary>One action of a filter, as <c>tc -s filter show</c> lists it (<c>action order 1: mirred (Egress Redirect to device ifb0) stolen</c>).</summary>
public sealed class TcActionInfo
{
    private TcActionInfo()
    {
    }

    /// <summary>The position in the filter's action list, from 1 (<c>order</c>).</summary>
    public int Order { get; private set; }

    /// <summary>The kind (<c>mirred</c>, <c>gact</c>…). Kernel: <c>TCA_ACT_KIND</c>.</summary>
    public string Kind { get; private set; } = string.Empty;

    /// <summary>The action's index in its kind's table (<c>index</c>).</summary>
    public uint Index { get; private set; }

    /// <summary>References held on the action (<c>ref</c>).</summary>
    public int RefCount { get; private set; }

    /// <summary>Filters bound to the action (<c>bind</c>).</summary>
    public int BindCount { get; private set; }

    /// <summary>The verdict after the action (<c>TC_ACT_*</c>: 0 ok, 2 shot, 3 pipe, 4 stolen…).</summary>
    public int Verdict { get; private set; }

    /// <summary>For mirred: egress or ingress; <see langword="null"/> for other kinds.</summary>
    public MirredDirection? MirredDirection { get; private set; }

    /// <summary>For mirred: redirect or mirror; <see langword="null"/> for other kinds.</summary>
    public MirredMode? MirredMode { get; private set; }

    /// <summary>For mirred: the target device's interface index; 0 for other kinds.</summary>
    public int TargetIndex { get; private set; }

    /// <summary>When the action was installed, in USER_HZ ticks ago (<c>installed</c>), or 0 if not reported.</summary>
    public ulong Installed { get; private set; }

    /// <summary>When the action was last used, in USER_HZ ticks ago (<c>used</c>), or 0.</summary>
    public ulong LastUsed { get; private set; }

    /// <summary>When the action was first used, in USER_HZ ticks ago (<c>firstused</c>), or 0.</summary>
    public ulong FirstUsed { get; private set; }

    /// <summary>The action's counters (<c>Action statistics</c>), or <see langword="null"/>.</summary>
    public TcStatistics? Statistics { get; private set; }

    /// <summary>The verdict's name as tc prints it (<c>pipe</c>, <c>stolen</c>, <c>pass</c>, <c>drop</c>…).</summary>
    public string VerdictName => Verdict switch
    {
        LinuxPktCls.TC_ACT_UNSPEC => "continue",
        LinuxPktCls.TC_ACT_OK => "pass",
        LinuxPktCls.TC_ACT_RECLASSIFY => "reclassify",
        LinuxPktCls.TC_ACT_SHOT => "drop",
        LinuxPktCls.TC_ACT_PIPE => "pipe",
        LinuxPktCls.TC_ACT_STOLEN => "stolen",
        LinuxPktCls.TC_ACT_QUEUED => "queued",
        LinuxPktCls.TC_ACT_REPEAT => "repeat",
        LinuxPktCls.TC_ACT_REDIRECT => "redirect",
        LinuxPktCls.TC_ACT_TRAP => "trap",
        _ => Verdict.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Formats the action's first line as <c>tc filter show</c> does, with the target device's name given.</summary>
    /// <param name="targetName">The name of <see cref="TargetIndex"/>'s device.</param>
    /// <returns>The text.</returns>
    public string ToString(string? targetName)
        => Kind == "mirred" && MirredDirection is { } direction && MirredMode is { } mode
            ? $"action order {Order}: mirred ({direction} {mode} to device {targetName ?? TargetIndex.ToString(System.Globalization.CultureInfo.InvariantCulture)}) {VerdictName}"
            : $"action order {Order}: {Kind} {VerdictName}";

    /// <summary>Formats the action's first line as <c>tc filter show</c> does.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => ToString(null);

    /// <summary>Reads an action list nest (<c>TCA_U32_ACT</c>, <c>TCA_BPF_ACT</c>): one nested entry per action, typed by its order.</summary>
    internal static IReadOnlyList<TcActionInfo> ParseList(NetlinkAttribute list)
    {
        var actions = new List<TcActionInfo>();
        foreach (NetlinkAttribute entry in list.EnumerateNested())
        {
            var action = new TcActionInfo { Order = entry.Type };
            foreach (NetlinkAttribute attribute in entry.EnumerateNested())
            {
                switch (attribute.Type)
                {
                    case LinuxPktCls.TCA_ACT_KIND:
                        action.Kind = attribute.GetString();
                        break;
                    case LinuxPktCls.TCA_ACT_OPTIONS:
                        action.ReadOptions(attribute);
                        break;
                    case LinuxPktCls.TCA_ACT_STATS:
                        action.Statistics = TcStatistics.Parse(attribute);
                        break;
                }
            }

            actions.Add(action);
        }

        return actions;
    }

    private void ReadOptions(NetlinkAttribute options)
    {
        foreach (NetlinkAttribute attribute in options.EnumerateNested())
        {
            // Every action's PARMS begins with tc_gen (index, capab, action, refcnt, bindcnt); its TM is tcf_t.
            if (attribute.Type == 2 && attribute.Value.Length >= 20)
            {
                ReadOnlySpan<byte> value = attribute.Value;
                Index = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(value);
                Verdict = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(value.Slice(8));
                RefCount = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(value.Slice(12));
                BindCount = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(value.Slice(16));
                if (Kind == "mirred" && value.Length == 28)
                {
                    TcMirred mirred = attribute.GetStruct<TcMirred>();
                    (MirredDirection, MirredMode) = mirred.EAction switch
                    {
                        LinuxTcMirred.TCA_EGRESS_REDIR => (Tc.MirredDirection.Egress, Tc.MirredMode.Redirect),
                        LinuxTcMirred.TCA_EGRESS_MIRROR => (Tc.MirredDirection.Egress, Tc.MirredMode.Mirror),
                        LinuxTcMirred.TCA_INGRESS_REDIR => (Tc.MirredDirection.Ingress, Tc.MirredMode.Redirect),
                        LinuxTcMirred.TCA_INGRESS_MIRROR => (Tc.MirredDirection.Ingress, (Tc.MirredMode?)Tc.MirredMode.Mirror),
                        _ => ((Tc.MirredDirection?)null, (Tc.MirredMode?)null),
                    };
                    TargetIndex = (int)mirred.IfIndex;
                }
            }
            else if (attribute.Type == 1 && attribute.Value.Length == 32)
            {
                TcfT times = attribute.GetStruct<TcfT>();
                Installed = times.Install;
                LastUsed = times.LastUse;
                FirstUsed = times.FirstUse;
            }
        }
    }
}
