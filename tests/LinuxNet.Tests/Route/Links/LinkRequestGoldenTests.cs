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
        => Check(Write((ref NetlinkMessageWriter w) => LinkManager.WriteMtu(ref w, V0, 1400)), "link-set-mtu");

    [Test]
    public void WriteUpDown_Up_MatchesIproute2()
        => Check(Write((ref NetlinkMessageWriter w) => LinkManager.WriteUpDown(ref w, V0, true)), "link-set-up");

    [Test]
    public void WriteUpDown_Down_MatchesIproute2()
        => Check(Write((ref NetlinkMessageWriter w) => LinkManager.WriteUpDown(ref w, V0, false)), "link-set-down");

    [Test]
    public void WriteDelete_ByIndex_MatchesIproute2()
        => Check(Write((ref NetlinkMessageWriter w) => LinkMessages.WriteDelete(ref w, V0)), "link-del");

    [Test]
    public void WriteNamespaceFd_SetNetns_MatchesIproute2()
    {
        // iproute2 sends its own descriptor of /run/netns/NAME; use the same number so the bytes can match.
        byte[] expected = Iproute2Capture.Load("link-set-netns");
        int fd = (int)BinaryPrimitives.ReadUInt32LittleEndian(expected.AsSpan(0x24));
        Check(Write((ref NetlinkMessageWriter w) => LinkManager.WriteNamespaceFd(ref w, V1, fd)), "link-set-netns");
    }

    [Test]
    public void WriteCreate_VethWithPeerNamespace_PutsFdBeforePeerName()
    {
        // ip link add v0 type veth peer name v1 netns NS: VETH_INFO_PEER { ifinfomsg, IFLA_NET_NS_FD, IFLA_IFNAME }.
        byte[] plain = Iproute2Capture.Load("link-add-veth");
        using var ns = global::LinuxNet.Namespaces.NetNamespace.Current;
        byte[] actual = Write((ref NetlinkMessageWriter w) => LinkMessages.WriteCreate(ref w, new VethLinkSpec("v0", "v1") { PeerNamespace = ns }, 0, 7));
        Assert.Multiple(() =>
        {
            Assert.That(actual, Has.Length.EqualTo(plain.Length + 8));
            Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(actual.AsSpan(0x28)), Is.EqualTo(44 + 8), "IFLA_LINKINFO length");
            Assert.That(actual.AsSpan(0x4c, 8).ToArray(), Is.EqualTo(new byte[] { 8, 0, 28, 0, 7, 0, 0, 0 }), "IFLA_NET_NS_FD = 7");
            Assert.That(actual.AsSpan(0x54).ToArray(), Is.EqualTo(plain.AsSpan(0x4c).ToArray()), "then the peer name, as in the plain capture");
        });
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

    private static void AssertCreate(LinkSpec spec, int lowerIndex, string capture)
    {
        spec.Validate();
        Check(Write((ref NetlinkMessageWriter w) => LinkMessages.WriteCreate(ref w, spec, lowerIndex, -1)), capture);
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
