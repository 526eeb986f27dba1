using System.Net;
using LinuxNet.Netlink;
using LinuxNet.Route;

namespace LinuxNet.Tests.Route.Watch;

/// <summary>Kernel-shaped rtnetlink messages for scripting a watch's dumps and events.</summary>
internal static class WatchMessages
{
    public static byte[] NewRoute(string destination, uint table = 254, int link = 2, uint? metric = null, bool delete = false, uint mtu = 0, uint expires = 0)
    {
        IPPrefix prefix = IPPrefix.Parse(destination);
        return Build(delete ? LinuxRtnetlink.RTM_DELROUTE : LinuxRtnetlink.RTM_NEWROUTE, (ref NetlinkMessageWriter w) =>
        {
            w.WriteHeader(new RtMsg
            {
                Family = (byte)(prefix.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? LinuxSocket.AF_INET6 : LinuxSocket.AF_INET),
                DestinationLength = (byte)prefix.PrefixLength,
                Table = (byte)Math.Min(table, 252),
                Protocol = 3,
                Scope = 0,
                Type = 1,
            });
            w.WriteUInt32(LinuxRtnetlink.RTA_TABLE, table);
            w.WriteAddress(LinuxRtnetlink.RTA_DST, prefix.Address);
            if (metric is { } m)
            {
                w.WriteUInt32(LinuxRtnetlink.RTA_PRIORITY, m);
            }

            w.WriteInt32(LinuxRtnetlink.RTA_OIF, link);
            if (mtu != 0)
            {
                NestedAttribute metrics = w.BeginNested(LinuxRtnetlink.RTA_METRICS);
                w.WriteUInt32(2, mtu); // RTAX_MTU
                w.EndNested(metrics);
            }

            if (expires != 0)
            {
                w.WriteUInt32(LinuxRtnetlink.RTA_EXPIRES, expires);
            }
        });
    }

    public static byte[] NewLink(int index, string name, uint flags = 0x1 | 0x10000 | 0x40, int mtu = 1500, uint change = 0, ulong rxPackets = 0, bool delete = false)
        => Build(delete ? LinuxRtnetlink.RTM_DELLINK : LinuxRtnetlink.RTM_NEWLINK, (ref NetlinkMessageWriter w) =>
        {
            w.WriteHeader(new IfInfoMsg { Family = 0, Type = 1, Index = index, Flags = flags, Change = change });
            w.WriteString(LinuxIfLink.IFLA_IFNAME, name);
            w.WriteUInt32(LinuxIfLink.IFLA_MTU, (uint)mtu);
            byte[] stats = new byte[24 * 8];
            BitConverter.TryWriteBytes(stats, rxPackets);
            w.WriteAttribute(LinuxIfLink.IFLA_STATS64, stats);
        });

    public static byte[] NewAddress(string prefix, int link = 2, uint validLifetime = uint.MaxValue, bool delete = false)
    {
        IPPrefix p = IPPrefix.Parse(prefix);
        return Build(delete ? LinuxRtnetlink.RTM_DELADDR : LinuxRtnetlink.RTM_NEWADDR, (ref NetlinkMessageWriter w) =>
        {
            w.WriteHeader(new IfAddrMsg { Family = (byte)(p.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? LinuxSocket.AF_INET6 : LinuxSocket.AF_INET), PrefixLength = (byte)p.PrefixLength, Index = (uint)link });
            w.WriteAddress(LinuxIfAddr.IFA_ADDRESS, p.Address);
            w.WriteAddress(LinuxIfAddr.IFA_LOCAL, p.Address);
            byte[] cache = new byte[16];
            BitConverter.TryWriteBytes(cache, validLifetime);
            BitConverter.TryWriteBytes(cache.AsSpan(4), validLifetime);
            w.WriteAttribute(LinuxIfAddr.IFA_CACHEINFO, cache);
        });
    }

    public static byte[] NewNeighbour(string address, int link = 2, ushort state = LinuxNeighbour.NUD_PERMANENT, byte family = LinuxSocket.AF_INET, bool delete = false)
        => Build(delete ? LinuxRtnetlink.RTM_DELNEIGH : LinuxRtnetlink.RTM_NEWNEIGH, (ref NetlinkMessageWriter w) =>
        {
            w.WriteHeader(new NdMsg { Family = family, Index = link, State = state });
            w.WriteAddress(LinuxNeighbour.NDA_DST, IPAddress.Parse(address));
        });

    public static NetlinkMessage View(byte[] message) => RtnetlinkWatch.ToMessage(message);

    private delegate void Body(ref NetlinkMessageWriter writer);

    private static byte[] Build(ushort type, Body body)
    {
        byte[] buffer = new byte[1024];
        var writer = new NetlinkMessageWriter(buffer);
        writer.BeginMessage(type, NetlinkMessageFlags.None);
        body(ref writer);
        writer.EndMessage();
        return buffer.AsSpan(0, writer.BytesWritten).ToArray();
    }
}
