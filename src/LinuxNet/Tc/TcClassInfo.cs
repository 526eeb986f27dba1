using System.Globalization;
using System.Text;
using LinuxNet.Netlink;

namespace LinuxNet.Tc;

/// <summary>One traffic class, as <c>tc [-s] class show dev DEV</c> lists it.</summary>
public sealed class TcClassInfo
{
    private TcClassInfo()
    {
    }

    /// <summary>The device's interface index.</summary>
    public int LinkIndex { get; private set; }

    /// <summary>The kind (<c>htb</c>, or that of a classful qdisc's built-in classes). Kernel: <c>TCA_KIND</c>.</summary>
    public string Kind { get; private set; } = string.Empty;

    /// <summary>The class id (<c>1:10</c>).</summary>
    public TcHandle ClassId { get; private set; }

    /// <summary>The parent class or qdisc; <see cref="TcHandle.Root"/> for a class directly under its qdisc (tc prints <c>root</c>).</summary>
    public TcHandle Parent { get; private set; }

    /// <summary>The handle of the qdisc attached below the class (<c>leaf 10:</c>), or <see cref="TcHandle.None"/>.</summary>
    public TcHandle Leaf { get; private set; }

    /// <summary>The kind's options (<see cref="HtbClassOptions"/>), or <see langword="null"/>.</summary>
    public TcOptions? Options { get; private set; }

    /// <summary>The counters (<c>tc -s</c>), or <see langword="null"/>.</summary>
    public TcStatistics? Statistics { get; private set; }

    /// <summary>Formats the class as <c>tc class show dev DEV</c> does: <c>class htb 1:10 root leaf 10: prio 1 rate 5Mbit …</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append("class ").Append(Kind).Append(' ').Append(ClassId).Append(' ');
        if (Parent == TcHandle.Root)
        {
            text.Append("root ");
        }
        else if (Parent != TcHandle.None)
        {
            text.Append("parent ").Append(Parent).Append(' ');
        }

        if (Leaf != TcHandle.None)
        {
            text.Append("leaf ").Append(Leaf.Major.ToString("x", CultureInfo.InvariantCulture)).Append(": ");
        }

        if (Options is not null)
        {
            text.Append(Options);
        }

        return text.ToString();
    }

    /// <summary>The one decoder of <c>RTM_NEWTCLASS</c>/<c>RTM_DELTCLASS</c>; <see langword="null"/> for other messages.</summary>
    internal static TcClassInfo? Parse(NetlinkMessage message)
    {
        if (message.Type is not (LinuxPktSched.RTM_NEWTCLASS or LinuxPktSched.RTM_DELTCLASS))
        {
            return null;
        }

        TcMsg header = message.ReadHeader<TcMsg>();
        var info = new TcClassInfo
        {
            LinkIndex = header.Index,
            ClassId = new TcHandle(header.Handle),
            Parent = new TcHandle(header.Parent),
            Leaf = new TcHandle(header.Info),
        };
        foreach (NetlinkAttribute attribute in message.GetAttributes<TcMsg>())
        {
            switch (attribute.Type)
            {
                case LinuxPktSched.TCA_KIND:
                    info.Kind = attribute.GetString();
                    break;
                case LinuxPktSched.TCA_OPTIONS when info.Kind == "htb":
                    info.Options = HtbClassOptions.Parse(attribute, PacketSchedulerClock.Current);
                    break;
                case LinuxPktSched.TCA_STATS2:
                    info.Statistics = TcStatistics.Parse(attribute);
                    break;
            }
        }

        return info;
    }
}
