using System.Text;
using LinuxNet.Netlink;

namespace LinuxNet.Tc;

/// <summary>One queueing discipline, as <c>tc [-s] qdisc show</c> lists it.</summary>
public sealed class QdiscInfo
{
    private QdiscInfo()
    {
    }

    /// <summary>The device's interface index.</summary>
    public int LinkIndex { get; private set; }

    /// <summary>The kind (<c>tbf</c>, <c>htb</c>, <c>noqueue</c>…). Kernel: <c>TCA_KIND</c>.</summary>
    public string Kind { get; private set; } = string.Empty;

    /// <summary>The handle (<c>1:</c>; <c>0:</c> for a default qdisc).</summary>
    public TcHandle Handle { get; private set; }

    /// <summary>The parent (<see cref="TcHandle.Root"/>, a class, or <see cref="TcHandle.Ingress"/>).</summary>
    public TcHandle Parent { get; private set; }

    /// <summary>The reference count the kernel reports in <c>tcm_info</c> (<c>refcnt</c>; tc prints it when it is not 1).</summary>
    public uint RefCount { get; private set; }

    /// <summary>The kind's options (<see cref="TbfQdiscOptions"/>, <see cref="HtbQdiscOptions"/>, <see cref="FifoQdiscOptions"/>), or <see langword="null"/> for a kind without any or not known here.</summary>
    public TcOptions? Options { get; private set; }

    /// <summary>Whether the kernel sent <c>TCA_OPTIONS</c> at all (tc prints <c>"options":{}</c> then).</summary>
    public bool HasOptions { get; private set; }

    /// <summary>The counters (<c>tc -s</c>), or <see langword="null"/> if the kernel sent none.</summary>
    public TcStatistics? Statistics { get; private set; }

    /// <summary>Formats the qdisc as <c>tc qdisc show dev DEV</c> does: <c>qdisc tbf 1: root refcnt 2 rate 10Mbit burst 32Kb lat 50ms</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append("qdisc ").Append(Kind).Append(' ').Append(Handle.Major.ToString("x", System.Globalization.CultureInfo.InvariantCulture)).Append(": ");
        if (Parent == TcHandle.Root)
        {
            text.Append("root ");
        }
        else if (Parent != TcHandle.None)
        {
            text.Append("parent ").Append(Parent).Append(' ');
        }

        if (RefCount != 1)
        {
            text.Append("refcnt ").Append(RefCount).Append(' ');
        }

        if (Kind is "ingress" or "clsact")
        {
            text.Append("---------------- ");
        }
        else if (Options is not null)
        {
            text.Append(Options);
        }

        return text.ToString();
    }

    /// <summary>The one decoder of <c>RTM_NEWQDISC</c>/<c>RTM_DELQDISC</c>; <see langword="null"/> for other messages.</summary>
    internal static QdiscInfo? Parse(NetlinkMessage message)
    {
        if (message.Type is not (LinuxPktSched.RTM_NEWQDISC or LinuxPktSched.RTM_DELQDISC))
        {
            return null;
        }

        TcMsg header = message.ReadHeader<TcMsg>();
        var info = new QdiscInfo
        {
            LinkIndex = header.Index,
            Handle = new TcHandle(header.Handle),
            Parent = new TcHandle(header.Parent),
            RefCount = header.Info,
        };

        // TCA_KIND comes first; the options are read once it is known.
        foreach (NetlinkAttribute attribute in message.GetAttributes<TcMsg>())
        {
            switch (attribute.Type)
            {
                case LinuxPktSched.TCA_KIND:
                    info.Kind = attribute.GetString();
                    break;
                case LinuxPktSched.TCA_OPTIONS:
                    info.HasOptions = true;
                    info.Options = info.Kind switch
                    {
                        "tbf" => TbfQdiscOptions.Parse(attribute, PacketSchedulerClock.Current),
                        "htb" => HtbQdiscOptions.Parse(attribute),
                        "pfifo" => FifoQdiscOptions.Parse(attribute, bytes: false),
                        "bfifo" => FifoQdiscOptions.Parse(attribute, bytes: true),
                        _ => null,
                    };
                    break;
                case LinuxPktSched.TCA_STATS2:
                    info.Statistics = TcStatistics.Parse(attribute);
                    break;
            }
        }

        return info;
    }
}
