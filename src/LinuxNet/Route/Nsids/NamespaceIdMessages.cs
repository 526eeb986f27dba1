using System;
using LinuxNet.Netlink;
using static LinuxNet.LinuxNetNamespace;

namespace LinuxNet.Route;

/// <summary>
/// The one encoder and decoder of NSID messages (<c>RTM_NEWNSID</c>/<c>RTM_GETNSID</c>, <c>linux/net_namespace.h</c>),
/// byte for byte as iproute2's <c>ip netns set</c> and <c>ip netns list-id</c> write them (see TestData/iproute2/nsid-*.txt).
/// </summary>
internal static class NamespaceIdMessages
{
    /// <summary><c>ip netns set NAME ID</c>: the target, then the id (-1 for <c>auto</c>).</summary>
    internal static void WriteSet(ref NetlinkMessageWriter writer, NamespaceIdRequest request)
    {
        writer.BeginMessage(LinuxRtnetlink.RTM_NEWNSID, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack);
        writer.WriteHeader(new RtGenMsg { Family = LinuxSocket.AF_UNSPEC });
        WriteTarget(ref writer, request);
        writer.WriteInt32(NETNSA_NSID, request.Id);
        writer.EndMessage();
    }

    /// <summary>The id this namespace has for the target (what <c>ip netns list</c> asks for each name).</summary>
    internal static void WriteGet(ref NetlinkMessageWriter writer, NamespaceIdRequest request)
    {
        writer.BeginMessage(LinuxRtnetlink.RTM_GETNSID, NetlinkMessageFlags.Request);
        writer.WriteHeader(new RtGenMsg { Family = LinuxSocket.AF_UNSPEC });
        WriteTarget(ref writer, request);
        writer.EndMessage();
    }

    /// <summary><c>ip netns list-id</c>: a dump of every id this namespace has assigned.</summary>
    internal static void WriteDump(ref NetlinkMessageWriter writer, int unused)
    {
        writer.BeginMessage(LinuxRtnetlink.RTM_GETNSID, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump);
        writer.WriteHeader(new RtGenMsg { Family = LinuxSocket.AF_UNSPEC });
        writer.EndMessage();
    }

    /// <summary>The id of an <c>RTM_NEWNSID</c>/<c>RTM_DELNSID</c> message (<c>NETNSA_NSID</c>), -1 when not assigned; <see langword="null"/> for other types.</summary>
    /// <exception cref="NetlinkProtocolException">The message carries no <c>NETNSA_NSID</c>.</exception>
    internal static int? ReadId(NetlinkMessage message)
    {
        if (message.Type is not (LinuxRtnetlink.RTM_NEWNSID or LinuxRtnetlink.RTM_DELNSID))
        {
            return null;
        }

        foreach (NetlinkAttribute attribute in message.GetAttributes<RtGenMsg>())
        {
            if (attribute.Type == NETNSA_NSID)
            {
                return attribute.GetInt32();
            }
        }

        throw new NetlinkProtocolException("An NSID message carries no NETNSA_NSID.");
    }

    private static void WriteTarget(ref NetlinkMessageWriter writer, NamespaceIdRequest request)
    {
        if (request.Fd >= 0)
        {
            writer.WriteUInt32(NETNSA_FD, (uint)request.Fd);
        }
        else
        {
            writer.WriteUInt32(NETNSA_PID, (uint)request.ProcessId);
        }
    }
}
