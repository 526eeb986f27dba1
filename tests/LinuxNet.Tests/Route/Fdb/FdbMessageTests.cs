using System.Net;
using System.Net.NetworkInformation;
using LinuxNet.Netlink;
using LinuxNet.Route;
using LinuxNet.Tests.Infrastructure;

namespace LinuxNet.Tests.Route.Fdb;

/// <summary>Golden bytes of <c>bridge fdb</c> (eng/capture-encapfdb.sh), the AF_BRIDGE parser, and bad input.</summary>
public class FdbMessageTests
{
    // Interface indexes in the capture namespace: v0 3, br0 4, d0 6, vx0 7.
    private const int V0 = 3;
    private const int Br0 = 4;
    private const int D0 = 6;
    private const int Vx0 = 7;

    private static PhysicalAddress Mac(string text) => PhysicalAddress.Parse(text.Replace(':', '-'));

    private static byte[] Write(ushort type, NetlinkMessageFlags flags, FdbSpec spec)
    {
        spec.Validate();
        var buffer = new byte[512];
        int link = spec.Link.IsName ? spec.Link.Name switch { "d0" => D0, "vx0" => Vx0, _ => V0 } : spec.Link.Index;
        int via = spec.Via is null ? 0 : V0;
        int length = FdbMessage.WriteModify(buffer, type, flags, spec, link, via);
        return buffer.AsSpan(0, length).ToArray();
    }

    private static byte[] Add(FdbSpec spec) => Write(LinuxRtnetlink.RTM_NEWNEIGH, FdbMessage.AddFlags, spec);

    [Test]
    public void WriteModify_MasterDefaultPermanent_MatchesBridge()
        => Iproute2Capture.AssertMatches("fdb-add-master", Add(new FdbSpec(Mac("02:00:00:00:00:01"), "d0") { Flags = FdbFlags.Master }));

    [Test]
    public void WriteModify_MasterStatic_MatchesBridge()
        => Iproute2Capture.AssertMatches("fdb-add-master-static", Add(new FdbSpec(Mac("02:00:00:00:00:02"), "d0") { Flags = FdbFlags.Master, State = FdbEntryState.Static }));

    [Test]
    public void WriteModify_MasterDynamic_MatchesBridge()
        => Iproute2Capture.AssertMatches("fdb-add-master-dynamic", Add(new FdbSpec(Mac("02:00:00:00:00:03"), "d0") { Flags = FdbFlags.Master, State = FdbEntryState.Dynamic }));

    [Test]
    public void WriteModify_MasterVlan_MatchesBridge()
        => Iproute2Capture.AssertMatches("fdb-add-master-vlan", Add(new FdbSpec(Mac("02:00:00:00:00:04"), "d0") { Flags = FdbFlags.Master, Vlan = 10 }));

    [Test]
    public void WriteModify_Self_MatchesBridge()
        => Iproute2Capture.AssertMatches("fdb-add-self", Add(new FdbSpec(Mac("02:00:00:00:00:05"), "d0") { Flags = FdbFlags.Self }));

    [Test]
    public void WriteModify_VxlanDstVniPort_MatchesBridge()
        => Iproute2Capture.AssertMatches("fdb-add-vxlan", Add(new FdbSpec(Mac("00:00:00:00:00:00"), "vx0")
        {
            Flags = FdbFlags.Self,
            Destination = IPAddress.Parse("203.0.113.5"),
            Vni = 42,
            Port = 4790,
        }));

    [Test]
    public void WriteModify_VxlanViaSourceVniWithoutSelf_DefaultsToSelfAsBridge()
        => Iproute2Capture.AssertMatches("fdb-add-vxlan-via", Add(new FdbSpec(Mac("02:00:00:00:00:06"), "vx0")
        {
            Destination = IPAddress.Parse("203.0.113.6"),
            Via = "v0",
            SourceVni = 43,
        }));

    [Test]
    public void WriteModify_Append_MatchesBridge()
        => Iproute2Capture.AssertMatches("fdb-append-vxlan", Write(LinuxRtnetlink.RTM_NEWNEIGH, FdbMessage.AppendFlags, new FdbSpec(Mac("00:00:00:00:00:00"), "vx0") { Destination = IPAddress.Parse("203.0.113.7") }));

    [Test]
    public void WriteModify_Replace_MatchesBridge()
        => Iproute2Capture.AssertMatches("fdb-replace-master", Write(LinuxRtnetlink.RTM_NEWNEIGH, FdbMessage.ReplaceFlags, new FdbSpec(Mac("02:00:00:00:00:01"), "d0") { Flags = FdbFlags.Master, State = FdbEntryState.Static }));

    [Test]
    public void WriteModify_DeleteMaster_MatchesBridge()
        => Iproute2Capture.AssertMatches("fdb-del-master", Write(LinuxRtnetlink.RTM_DELNEIGH, FdbMessage.DeleteFlags, new FdbSpec(Mac("02:00:00:00:00:01"), "d0") { Flags = FdbFlags.Master }));

    [Test]
    public void WriteModify_DeleteVxlanDestination_MatchesBridge()
        => Iproute2Capture.AssertMatches("fdb-del-vxlan", Write(LinuxRtnetlink.RTM_DELNEIGH, FdbMessage.DeleteFlags, new FdbSpec(Mac("00:00:00:00:00:00"), "vx0") { Destination = IPAddress.Parse("203.0.113.7") }));

    [TestCase("fdb-dump", 0, 0)]
    [TestCase("fdb-dump-br", 0, Br0)]
    [TestCase("fdb-dump-dev", D0, 0)]
    public void WriteDump_Filters_MatchBridge(string capture, int link, int bridge)
    {
        var buffer = new byte[64];
        int length = FdbMessage.WriteDump(buffer, link, bridge);
        Iproute2Capture.AssertMatches(capture, buffer.AsSpan(0, length));
    }

    [TestCase("fdb-add-master", "bridge fdb add")]
    [TestCase("fdb-append-vxlan", "bridge fdb append")]
    [TestCase("fdb-replace-master", "bridge fdb replace")]
    [TestCase("fdb-del-master", "bridge fdb del")]
    [TestCase("fdb-dump", "bridge fdb show")]
    [TestCase("neigh-replace", "ip neigh replace")]
    public void OperationName_NeighbourMessages_NameBridgeForAfBridge(string capture, string expected)
        => Assert.That(OperationName.Of(Iproute2Capture.Load(capture)), Is.EqualTo(expected));

    private static FdbInfo ParseCapture(string name)
    {
        FdbInfo? info = null;
        foreach (NetlinkMessage message in new NetlinkMessageEnumerator(Iproute2Capture.Load(name)))
        {
            info = FdbMessage.Parse(message);
            Assert.That(NeighbourInfo.Parse(message), Is.Null, "the IP neighbour decoder leaves AF_BRIDGE to the FDB decoder");
        }

        return info!;
    }

    [Test]
    public void Parse_VxlanEntry_ReadsEveryAttribute()
    {
        FdbInfo entry = ParseCapture("fdb-add-vxlan");
        Assert.Multiple(() =>
        {
            Assert.That(entry.LinkIndex, Is.EqualTo(Vx0));
            Assert.That(entry.Address, Is.EqualTo(Mac("00:00:00:00:00:00")));
            Assert.That(entry.Destination, Is.EqualTo(IPAddress.Parse("203.0.113.5")));
            Assert.That(entry.Vni, Is.EqualTo(42u));
            Assert.That(entry.Port, Is.EqualTo((ushort)4790));
            Assert.That(entry.Flags, Is.EqualTo(FdbFlags.Self));
            Assert.That(entry.EntryState, Is.EqualTo(FdbEntryState.Permanent));
            Assert.That(entry.StateName, Is.EqualTo("permanent"));
        });
        FdbInfo via = ParseCapture("fdb-add-vxlan-via");
        Assert.That(via.ViaIndex, Is.EqualTo(V0));
        Assert.That(via.SourceVni, Is.EqualTo(43u));
    }

    [TestCase("fdb-add-master", FdbEntryState.Permanent, "permanent")]
    [TestCase("fdb-add-master-static", FdbEntryState.Static, "static")]
    [TestCase("fdb-add-master-dynamic", FdbEntryState.Dynamic, "")]
    public void Parse_States_ReadAsBridgeWordsThem(string capture, FdbEntryState state, string name)
    {
        FdbInfo entry = ParseCapture(capture);
        Assert.That(entry.EntryState, Is.EqualTo(state));
        Assert.That(entry.StateName, Is.EqualTo(name));
    }

    [Test]
    public void Parse_Vlan_ReadsVlan() => Assert.That(ParseCapture("fdb-add-master-vlan").Vlan, Is.EqualTo((ushort)10));

    [Test]
    public void Constructor_NotSixBytes_Throws()
        => Assert.Throws<ArgumentException>(() => _ = new FdbSpec(new PhysicalAddress(new byte[] { 1, 2, 3, 4 }), "d0"));

    [TestCase((ushort)0)]
    [TestCase((ushort)4095)]
    public void Validate_BadVlan_Throws(ushort vlan)
        => Assert.Throws<ArgumentException>(() => new FdbSpec(Mac("02:00:00:00:00:01"), "d0") { Vlan = vlan }.Validate());

    [Test]
    public void Validate_VniOver24Bits_Throws()
        => Assert.That(() => new FdbSpec(Mac("02:00:00:00:00:01"), "vx0") { Vni = 1u << 24 }.Validate(), Throws.ArgumentException.With.Message.Contains("24 bits"));

    [Test]
    public void Validate_ReportedOnlyFlag_Throws()
        => Assert.That(() => new FdbSpec(Mac("02:00:00:00:00:01"), "d0") { Flags = FdbFlags.Offloaded }.Validate(), Throws.ArgumentException.With.Message.Contains("Offloaded"));
}
