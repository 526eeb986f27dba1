using System.Net;
using System.Net.NetworkInformation;
using LinuxNet.Netlink;
using LinuxNet.Route;
using LinuxNet.Tests.Infrastructure;

namespace LinuxNet.Tests.Route.Links;

/// <summary>
/// Parses a real kernel reply to <c>ip -d -s link show</c> (TestData/kernel/link-dump-reply-detailed.txt) into <see cref="LinkInfo"/>
/// and checks every field against what <c>ip -j -d -s link show</c> printed for the same namespace (quoted in the file).
/// </summary>
public class LinkParseTests
{
    private static readonly string ReplyPath = Path.Combine(AppContext.BaseDirectory, "TestData", "kernel", "link-dump-reply-detailed.txt");

    private static List<LinkInfo> ParseReply(byte[] reply)
    {
        var links = new List<LinkInfo>();
        foreach (NetlinkMessage message in new NetlinkMessageEnumerator(reply))
        {
            if (message.Type == LinuxRtnetlink.RTM_NEWLINK)
            {
                links.Add(LinkMessages.Parse(message));
            }
        }

        return links;
    }

    private static byte[] LoadReply() => Iproute2Capture.Parse(File.ReadAllText(ReplyPath));

    [Test]
    public void Parse_RealDump_ReturnsEveryLinkInOrder()
    {
        List<LinkInfo> links = ParseReply(LoadReply());
        Assert.That(links.Select(l => (l.Index, l.Name)), Is.EqualTo(new[] { (1, "lo"), (2, "v1"), (3, "v0"), (4, "br0"), (5, "vx0"), (6, "mv0") }));
    }

    [Test]
    public void Parse_Loopback_MatchesIp()
    {
        LinkInfo lo = ParseReply(LoadReply())[0];
        Assert.Multiple(() =>
        {
            Assert.That(lo.Kind, Is.Null);
            Assert.That(lo.Flags & (LinkFlags.Loopback | LinkFlags.Up | LinkFlags.LowerUp), Is.EqualTo(LinkFlags.Loopback | LinkFlags.Up | LinkFlags.LowerUp));
            Assert.That(lo.IsUp, Is.True);
            Assert.That(lo.Mtu, Is.EqualTo(65536));
            Assert.That(lo.MinMtu, Is.EqualTo(0));
            Assert.That(lo.MaxMtu, Is.EqualTo(0));
            Assert.That(lo.OperationalState, Is.EqualTo(OperationalState.Unknown));
            Assert.That(lo.QueueingDiscipline, Is.EqualTo("noqueue"));
            Assert.That(lo.TransmitQueueLength, Is.EqualTo(1000));
            Assert.That(lo.Address, Is.EqualTo(PhysicalAddress.Parse("00-00-00-00-00-00")));
            Assert.That(lo.HardwareType, Is.EqualTo(772), "ARPHRD_LOOPBACK");
            Assert.That(lo.Group, Is.EqualTo(0u));
            Assert.That(lo.MasterIndex, Is.Null);
            Assert.That(lo.KindInfo, Is.Null);
            Assert.That(lo.Statistics, Is.Not.Null);
            Assert.That(lo.Statistics!.RxBytes, Is.EqualTo(0UL));
        });
    }

    [Test]
    public void Parse_VethEnds_MatchIp()
    {
        List<LinkInfo> links = ParseReply(LoadReply());
        LinkInfo v1 = links[1];
        LinkInfo v0 = links[2];
        Assert.Multiple(() =>
        {
            Assert.That(v1.Kind, Is.EqualTo("veth"));
            Assert.That(v1.Address, Is.EqualTo(PhysicalAddress.Parse("5A-30-3A-25-32-CA")));
            Assert.That(v1.BroadcastAddress, Is.EqualTo(PhysicalAddress.Parse("FF-FF-FF-FF-FF-FF")));
            Assert.That(v1.MasterIndex, Is.EqualTo(4), "master br0");
            Assert.That(v1.PortKind, Is.EqualTo("bridge"));
            Assert.That(v1.Promiscuity, Is.EqualTo(1));
            Assert.That(v1.Flags & (LinkFlags.Broadcast | LinkFlags.Multicast | LinkFlags.Up | LinkFlags.LowerUp), Is.EqualTo(LinkFlags.Broadcast | LinkFlags.Multicast | LinkFlags.Up | LinkFlags.LowerUp));
            Assert.That(v1.OperationalState, Is.EqualTo(OperationalState.Up));
            Assert.That(v1.Mtu, Is.EqualTo(1500));
            Assert.That(v1.MinMtu, Is.EqualTo(68));
            Assert.That(v1.MaxMtu, Is.EqualTo(65535));
            Assert.That(((VethKindInfo)v1.KindInfo!).PeerIndex, Is.EqualTo(3));
            Assert.That(((VethKindInfo)v1.KindInfo!).PeerNamespaceId, Is.Null);
            Assert.That(v1.Statistics!.RxPackets, Is.EqualTo(1UL));
            Assert.That(v1.Statistics.RxBytes, Is.EqualTo(90UL));
            Assert.That(v1.Statistics.TxPackets, Is.EqualTo(1UL));
            Assert.That(v1.Statistics.TxBytes, Is.EqualTo(90UL));

            Assert.That(v0.Mtu, Is.EqualTo(1400));
            Assert.That(v0.Alias, Is.EqualTo("uplink"));
            Assert.That(v0.ParentIndex, Is.EqualTo(2), "ip prints v0@v1");
            Assert.That(v0.MasterIndex, Is.Null);
            Assert.That(v0.Address, Is.EqualTo(PhysicalAddress.Parse("6A-95-1C-3D-7A-9C")));
        });
    }

    [Test]
    public void Parse_Bridge_MatchesIp()
    {
        LinkInfo br0 = ParseReply(LoadReply())[3];
        var bridge = (BridgeKindInfo)br0.KindInfo!;
        Assert.Multiple(() =>
        {
            Assert.That(br0.Kind, Is.EqualTo("bridge"));
            Assert.That(br0.IsUp, Is.False);
            Assert.That(br0.OperationalState, Is.EqualTo(OperationalState.Down));
            Assert.That(bridge.ForwardDelay, Is.EqualTo(TimeSpan.FromSeconds(15)), "forward_delay 1500");
            Assert.That(bridge.HelloTime, Is.EqualTo(TimeSpan.FromSeconds(2)), "hello_time 200");
            Assert.That(bridge.MaxAge, Is.EqualTo(TimeSpan.FromSeconds(20)), "max_age 2000");
            Assert.That(bridge.AgeingTime, Is.EqualTo(TimeSpan.FromSeconds(300)), "ageing_time 30000");
            Assert.That(bridge.StpEnabled, Is.False);
            Assert.That(bridge.Priority, Is.EqualTo(32768));
            Assert.That(bridge.VlanFiltering, Is.False);
            // This kernel lacks CONFIG_BRIDGE_VLAN_FILTERING: it sends neither attribute and ip prints neither.
            Assert.That(bridge.VlanProtocol, Is.Null, "not sent: absent, not 0");
            Assert.That(bridge.VlanDefaultPvid, Is.Null, "not sent: absent, not 0");
            Assert.That(bridge.MulticastSnooping, Is.True);
        });
    }

    [Test]
    public void Parse_Vxlan_MatchesIp()
    {
        LinkInfo vx0 = ParseReply(LoadReply())[4];
        var vxlan = (VxlanKindInfo)vx0.KindInfo!;
        Assert.Multiple(() =>
        {
            Assert.That(vx0.Kind, Is.EqualTo("vxlan"));
            Assert.That(vx0.Mtu, Is.EqualTo(1450));
            Assert.That(vxlan.Id, Is.EqualTo(42u));
            Assert.That(vxlan.Port, Is.EqualTo(4789));
            Assert.That(vxlan.Local, Is.EqualTo(IPAddress.Parse("198.51.100.1")));
            Assert.That(vxlan.Remote, Is.EqualTo(IPAddress.Parse("198.51.100.2")));
            Assert.That(vxlan.Group, Is.Null);
            Assert.That(vxlan.UnderlayIndex, Is.EqualTo(3), "dev v0");
            Assert.That(vxlan.Learning, Is.True);
            Assert.That(vxlan.Ttl, Is.EqualTo(0));
        });
    }

    [Test]
    public void Parse_Macvlan_MatchesIp()
    {
        LinkInfo mv0 = ParseReply(LoadReply())[5];
        Assert.Multiple(() =>
        {
            Assert.That(mv0.Kind, Is.EqualTo("macvlan"));
            Assert.That(mv0.ParentIndex, Is.EqualTo(3), "mv0@v0");
            Assert.That(((MacvlanKindInfo)mv0.KindInfo!).Mode, Is.EqualTo(MacvlanMode.Bridge));
            Assert.That(mv0.Mtu, Is.EqualTo(1400));
        });
    }

    [Test]
    public void Parse_TruncatedReply_ThrowsOnlyProtocolException()
    {
        byte[] reply = LoadReply();
        var random = new Random(4);
        for (int i = 0; i < 2000; i++)
        {
            byte[] copy = (byte[])reply.Clone();
            int cut = random.Next(16, copy.Length);
            for (int j = 0; j < 4; j++)
            {
                copy[random.Next(copy.Length)] = (byte)random.Next(256);
            }

            try
            {
                ParseReply(copy.AsSpan(0, cut).ToArray());
            }
            catch (NetlinkProtocolException)
            {
            }
        }

        Assert.Pass("2000 mutated replies parsed or rejected with NetlinkProtocolException only");
    }

    [Test]
    public void ReadStatistics_OlderKernel192Bytes_LeavesNewestCounterZero()
    {
        byte[] value = new byte[192];
        value[0] = 5;
        LinkStatistics stats = LinkMessages.ReadStatistics(value);
        Assert.Multiple(() =>
        {
            Assert.That(stats.RxPackets, Is.EqualTo(5UL));
            Assert.That(stats.RxOtherhostDropped, Is.EqualTo(0UL));
        });
    }
}
