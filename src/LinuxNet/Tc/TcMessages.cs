using System;
using System.Buffers.Binary;
using LinuxNet.Netlink;

namespace LinuxNet.Tc;

/// <summary>
/// The one encoder of each traffic control object (qdisc, class, filter) and of their delete, get and dump requests,
/// byte for byte as iproute2's <c>tc</c> writes them.
/// </summary>
internal static class TcMessages
{
    /// <summary>Large enough for tc's biggest shapes: a tbf with a peak rate or an htb class carry two 1 KiB rate tables.</summary>
    internal const int RequestSize = 4096;

    /// <summary>Writes a qdisc, class or filter addition/replacement/change.</summary>
    internal static void Write(ref NetlinkMessageWriter writer, TcRequest request)
    {
        NetlinkMessageFlags flags = NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack | request.Flags;
        switch (request.Spec)
        {
            case QdiscSpec qdisc:
                writer.BeginMessage(LinuxPktSched.RTM_NEWQDISC, flags);
                writer.WriteHeader(new TcMsg { Index = request.LinkIndex, Handle = qdisc.Handle.Value, Parent = qdisc.Parent.Value });
                writer.WriteString(LinuxPktSched.TCA_KIND, qdisc.Kind);
                qdisc.WriteOptions(ref writer, request.Clock ?? PacketSchedulerClock.Current);
                break;
            case TcClassSpec tclass:
                writer.BeginMessage(LinuxPktSched.RTM_NEWTCLASS, flags);
                writer.WriteHeader(new TcMsg { Index = request.LinkIndex, Handle = tclass.ClassId.Value, Parent = tclass.Parent.Value });
                writer.WriteString(LinuxPktSched.TCA_KIND, tclass.Kind);
                tclass.WriteOptions(ref writer, request.Clock ?? PacketSchedulerClock.Current);
                break;
            case TcFilterSpec filter:
                writer.BeginMessage(LinuxPktSched.RTM_NEWTFILTER, flags);
                writer.WriteHeader(new TcMsg { Index = request.LinkIndex, Handle = filter.Handle, Parent = filter.Parent.Value, Info = FilterInfo(filter.Priority, filter.Protocol) });
                writer.WriteString(LinuxPktSched.TCA_KIND, filter.Kind);
                filter.WriteOptions(ref writer, request.Targets ?? Array.Empty<int>());
                break;
            default:
                throw new ArgumentException($"{request.Spec?.GetType().Name ?? "null"} is not a traffic control spec.", nameof(request));
        }
    }

    /// <summary>Writes a delete, a get (<c>NLM_F_ECHO</c>, as tc's <c>filter get</c>) or a dump.</summary>
    internal static void WriteKey(ref NetlinkMessageWriter writer, TcObjectKey key)
    {
        NetlinkMessageFlags flags = key.Type switch
        {
            LinuxPktSched.RTM_GETTFILTER when key.Handle != 0 => NetlinkMessageFlags.Request | NetlinkMessageFlags.Echo | NetlinkMessageFlags.Ack,
            LinuxPktSched.RTM_GETQDISC or LinuxPktSched.RTM_GETTCLASS or LinuxPktSched.RTM_GETTFILTER => NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump,
            _ => NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack,
        };
        writer.BeginMessage(key.Type, flags);
        writer.WriteHeader(new TcMsg { Index = key.LinkIndex, Handle = key.Handle, Parent = key.Parent, Info = key.Info });
        if (key.Kind is not null)
        {
            writer.WriteString(LinuxPktSched.TCA_KIND, key.Kind);
        }
    }

    /// <summary><c>tcm_info</c> of a filter: the priority in the upper 16 bits, the protocol in network order in the lower.</summary>
    internal static uint FilterInfo(ushort priority, TcProtocol protocol)
        => ((uint)priority << 16) | BinaryPrimitives.ReverseEndianness((ushort)protocol);
}
