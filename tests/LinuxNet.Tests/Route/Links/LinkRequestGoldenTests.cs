using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using LinuxNet.Netlink;
using LinuxNet.Route;
using LinuxNet.Tests.Infrastructure;

namespace LinuxNet.Tests.Route.Links;

/// <summary>
/// The link requests LinkManager sends, compared byte for byte (sequence and port id masked) with what iproute2's
/// <c>ip</c> sent for the same command (TestData/iproute2). Indexes are the capture namespace's: v1 = 2, v0 = 3.
/// </summary>
public class LinkRequestGoldenTests
{
    private const int V0 = 3;
    private const int V1 = 2;

    private delegate void Build(ref NetlinkMessageWriter writer);

    [Test]
    public void WriteDump_LinkShow_MatchesIproute2()
        => Check(Write((ref NetlinkMessageWriter w) => LinkMessages.WriteDump(ref w)), "link-dump");

    [Test]
    public void WriteLookup_NameToIndex_MatchesIproute2()
        => Check(Write((ref NetlinkMessageWriter w) => LinkMessages.WriteLookup(ref w, "v0")), "link-get-by-name");

    [Test]
    public void WriteGet_ByName_MatchesIproute2()
        => Check(Write((ref NetlinkMessageWriter w) => LinkMessages.WriteGet(ref w, "v0")), "link-get");

    [Test]
    public void WriteCreate_Veth_MatchesIproute2()
        => AssertCreate(new VethLinkSpec("v0", "v1"), 0, "link-add-veth");

    [Test]
    public void WriteCreate_Bridge_MatchesIproute2()
        => AssertCreate(new BridgeLinkSpec("br0"), 0, "link-add-bridge");

    [Test]
    public void WriteCreate_Vxlan_MatchesIproute2()
        => AssertCreate(
            new VxlanLinkSpec("vx0", 42)
            {
                Port = 4789,
                Local = IPAddress.Parse("198.51.100.1"),
                Remote = IPAddress.Parse("198.51.100.2"),
                Underlay = "v0",
            },
            V0,
            "link-add-vxlan");

    [Test]
    public void WriteCreate_Vlan_MatchesIproute2()
        => AssertCreate(new VlanLinkSpec("v0.10", "v0", 10), V0, "link-add-vlan");

    [Test]
    public void WriteCreate_MacvlanBridgeMode_MatchesIproute2()
        => AssertCreate(new MacvlanLinkSpec("mv0", "v0") { Mode = MacvlanMode.Bridge }, V0, "link-add-macvlan");

    [Test]
    public void WriteCreate_Dummy_MatchesIproute2()
        => AssertCreate(new DummyLinkSpec("d0"), 0, "link-add-dummy");

    [Test]
    public void WriteCreate_Bond_MatchesIproute2()
        => AssertCreate(new BondLinkSpec("bond0"), 0, "link-add-bond");

    [Test]
    public void WriteCreate_IpvlanL2_MatchesIproute2()
        => AssertCreate(new IpvlanLinkSpec("ipv0", "v0") { Mode = IpvlanMode.L2 }, V0, "link-add-ipvlan");

    [Test]
    public void WriteCreate_Wireguard_MatchesIproute2()
        => AssertCreate(new WireguardLinkSpec("wg0"), 0, "link-add-wireguard");

    [Test]
    public void WriteMtu_SetMtu1400_MatchesIproute2()
        => Check(Write((ref NetlinkMessageWriter w) => LinkMessages.WriteChange(ref w, (V0, new LinkChange { Mtu = 1400 }, 0))), "link-set-mtu");

    [Test]
    public void WriteUpDown_Up_MatchesIproute2()
        => Check(Write((ref NetlinkMessageWriter w) => LinkMessages.WriteChange(ref w, (V0, new LinkChange { Up = true }, 0))), "link-set-up");

    [Test]
    public void WriteUpDown_Down_MatchesIproute2()
        => Check(Write((ref NetlinkMessageWriter w) => LinkMessages.WriteChange(ref w, (V0, new LinkChange { Up = false }, 0))), "link-set-down");

    [Test]
    public void WriteDelete_ByIndex_MatchesIproute2()
        => Check(Write((ref NetlinkMessageWriter w) => LinkMessages.WriteDelete(ref w, V0)), "link-del");

    [Test]
    public void WriteNamespaceFd_SetNetns_MatchesIproute2()
    {
        // iproute2 sends its own descriptor of /run/netns/NAME; use the same number so the bytes can match.
        byte[] expected = Iproute2Capture.Load("link-set-netns");
        int fd = (int)BinaryPrimitives.ReadUInt32LittleEndian(expected.AsSpan(0x24));
        Check(Write((ref NetlinkMessageWriter w) => LinkMessages.WriteChange(ref w, (V1, new LinkChange { NamespaceFd = fd }, 0))), "link-set-netns");
    }

    [Test]
    public void WriteCreate_VethWithPeerNamespace_MatchesIproute2()
    {
        // ip link add w0 type veth peer name w1 netns NS: IFLA_NET_NS_FD (iproute2's own fd) inside VETH_INFO_PEER.
        byte[] expected = Iproute2Capture.Load("link-add-veth-peer-netns");
        int fd = (int)BinaryPrimitives.ReadUInt32LittleEndian(expected.AsSpan(0x50));
        using var ns = global::LinuxNet.Namespaces.NetNamespace.Current;
        AssertCreate(new VethLinkSpec("w0", "w1") { PeerNamespace = ns }, 0, "link-add-veth-peer-netns", fd);
    }

    [Test]
    public void WriteCreate_MacvtapPrivate_MatchesIproute2()
        => AssertCreate(new MacvtapLinkSpec("mvt0", "v0") { Mode = MacvlanMode.Private }, V0, "link-add-macvtap");

    [Test]
    public void WriteCreate_Ifb_MatchesIproute2()
        => AssertCreate(new IfbLinkSpec("ifb0"), 0, "link-add-ifb");

    [Test]
    public void WriteCreate_BridgeWithSettings_MatchesIproute2()
        => AssertCreate(
            new BridgeLinkSpec("br1") { ForwardDelay = TimeSpan.FromSeconds(4), AgeingTime = TimeSpan.FromSeconds(100), StpEnabled = true, Priority = 4096 },
            0,
            "link-add-bridge-settings");

    [Test]
    public void WriteCreate_VxlanIPv6Group_MatchesIproute2()
        => AssertCreate(new VxlanLinkSpec("vx6", 7) { Group = IPAddress.Parse("ff05::42"), Underlay = "v0", Port = 4790 }, V0, "link-add-vxlan-group6");

    [Test]
    public void WriteAddress_SetAddress_MatchesIproute2()
        => Check(Write((ref NetlinkMessageWriter w) => LinkMessages.WriteChange(ref w, (V0, new LinkChange { Address = PhysicalAddress.Parse("02-00-00-00-00-42") }, 0))), "link-set-address");

    [Test]
    public void WriteAlias_SetAlias_MatchesIproute2()
        => Check(Write((ref NetlinkMessageWriter w) => LinkMessages.WriteChange(ref w, (V0, new LinkChange { Alias = "uplink"u8.ToArray() }, 0))), "link-set-alias");

    [Test]
    public void WriteQueueLength_SetTxqueuelen_MatchesIproute2()
        => Check(Write((ref NetlinkMessageWriter w) => LinkMessages.WriteChange(ref w, (V0, new LinkChange { TransmitQueueLength = 500 }, 0))), "link-set-txqueuelen");

    [Test]
    public void WriteMode_Dormant_MatchesIproute2()
        => Check(Write((ref NetlinkMessageWriter w) => LinkMessages.WriteChange(ref w, (V0, new LinkChange { Mode = LinkMode.Dormant }, 0))), "link-set-mode-dormant");

    [Test]
    public void WritePromiscuous_On_MatchesIproute2()
        => Check(Write((ref NetlinkMessageWriter w) => LinkMessages.WriteChange(ref w, (V0, new LinkChange { Promiscuous = true }, 0))), "link-set-promisc-on");

    [Test]
    public void WriteMaster_SetMaster_MatchesIproute2()
        => Check(Write((ref NetlinkMessageWriter w) => LinkMessages.WriteChange(ref w, (V1, new LinkChange { Master = 4 }, 4))), "link-set-master");

    [Test]
    public void WriteMaster_NoMaster_MatchesIproute2()
        => Check(Write((ref NetlinkMessageWriter w) => LinkMessages.WriteChange(ref w, (V1, new LinkChange { NoMaster = true }, 0))), "link-set-nomaster");

    [Test]
    public void WriteName_Rename_MatchesIproute2()
        => Check(Write((ref NetlinkMessageWriter w) => LinkMessages.WriteChange(ref w, (V0, new LinkChange { Name = "uplink0" }, 0))), "link-set-name");

    [Test]
    public void WriteChange_EveryChangeAtOnce_MatchesIproute2()
    {
        // ip link set dev d1 mtu 1400 address 02:00:00:00:00:42 name d9 txqueuelen 500 alias uplink promisc on up:
        // one RTM_NEWLINK, through the public LinkChanges the way LinkManager.Change builds it.
        LinkChange change = new LinkChanges
        {
            Mtu = 1400,
            Address = PhysicalAddress.Parse("02-00-00-00-00-42"),
            Name = "d9",
            TransmitQueueLength = 500,
            Alias = "uplink",
            Promiscuous = true,
            Up = true,
        }.ToChange("changes");
        Check(Write((ref NetlinkMessageWriter w) => LinkMessages.WriteChange(ref w, (V0, change, 0))), "link-set-many");
    }

    [Test]
    public void WriteCreate_CommonAttributes_ComeBeforeTheName()
    {
        byte[] actual = Write((ref NetlinkMessageWriter w) => LinkMessages.WriteCreate(
            ref w, new BridgeLinkSpec("br0") { Mtu = 1400, Address = PhysicalAddress.Parse("02-00-00-00-00-01") }, 0, -1));
        var types = new List<ushort>();
        foreach (NetlinkMessage m in new NetlinkMessageEnumerator(actual))
        {
            foreach (NetlinkAttribute a in m.GetAttributes<IfInfoMsg>())
            {
                types.Add(a.Type);
            }
        }

        Assert.That(types, Is.EqualTo(new ushort[] { LinuxIfLink.IFLA_MTU, LinuxIfLink.IFLA_ADDRESS, LinuxIfLink.IFLA_IFNAME, LinuxIfLink.IFLA_LINKINFO }));
    }

    private static void AssertCreate(LinkSpec spec, int lowerIndex, string capture, int namespaceFd = -1)
    {
        spec.Validate();
        Check(Write((ref NetlinkMessageWriter w) => LinkMessages.WriteCreate(ref w, spec, lowerIndex, namespaceFd)), capture);
    }

    private static void Check(byte[] actual, string capture) => Iproute2Capture.AssertMatches(capture, actual);

    private static byte[] Write(Build build)
    {
        var buffer = new byte[LinkMessages.RequestBufferSize];
        var writer = new NetlinkMessageWriter(buffer);
        build(ref writer);
        return writer.WrittenSpan.ToArray();
    }
}
