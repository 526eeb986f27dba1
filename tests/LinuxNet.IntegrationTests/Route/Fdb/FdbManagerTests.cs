using System.Net;
using System.Net.NetworkInformation;
using System.Text.Json;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;
using LinuxNet.Netlink;
using LinuxNet.Route;

namespace LinuxNet.IntegrationTests.Route.Fdb;

/// <summary>
/// Forwarding database entries on a bridge port and on a vxlan device, with <c>bridge -j fdb show</c> as the oracle
/// both ways, in a fresh anonymous namespace: br0 with port d0 (veth to d1), vxlan vx0 (VNI 42), veth v0.
/// </summary>
[Category("Privileged")]
public class FdbManagerTests
{
    private NetNamespace _ns = null!;
    private LinkManager _links = null!;
    private Dictionary<int, string> _names = null!;

    private FdbManager Fdb => _links.Session.Fdb;

    [SetUp]
    public void SetUp()
    {
        Privileged.RequireRoot();
        _ns = NetNamespace.CreateAnonymous();
        _links = LinkManager.Open(_ns);
        IpOracle.Run(_ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1");
        IpOracle.Run(_ns, "addr", "add", "198.51.100.2/24", "dev", "v0");
        IpOracle.Run(_ns, "link", "add", "br0", "type", "bridge");
        IpOracle.Run(_ns, "link", "add", "d0", "type", "veth", "peer", "name", "d1");
        IpOracle.Run(_ns, "link", "set", "d0", "master", "br0");
        IpOracle.Run(_ns, "link", "add", "vx0", "type", "vxlan", "id", "42", "dstport", "4789", "local", "198.51.100.2", "nolearning");
        foreach (string link in new[] { "v0", "v1", "br0", "d0", "d1", "vx0" })
        {
            IpOracle.Run(_ns, "link", "set", link, "up");
        }

        // A port takes dynamic entries only once forwarding (EPERM before), which follows the veth carrier: wait, bounded.
        Assert.That(ProcessState.Settle(() => IpOracle.Execute(_ns, "bridge", "-j", "link", "show").Contains("\"state\":\"forwarding\"", StringComparison.Ordinal), TimeSpan.FromSeconds(10)), Is.True, "d0 never reached forwarding");
        _names = IpOracle.Json(_ns, "link", "show").EnumerateArray().ToDictionary(l => l.GetProperty("ifindex").GetInt32(), l => l.GetProperty("ifname").GetString()!);
    }

    [TearDown]
    public void TearDown()
    {
        _links?.Dispose();
        _ns?.Dispose();
    }

    private static PhysicalAddress Mac(string text) => PhysicalAddress.Parse(text.Replace(':', '-'));

    private JsonElement[] BridgeFdb(params string[] filter)
    {
        string json = IpOracle.Execute(_ns, "bridge", ["-j", "fdb", "show", .. filter]);
        return JsonDocument.Parse(json).RootElement.Clone().EnumerateArray().ToArray();
    }

    private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out JsonElement v) ? v.ToString() : null;

    /// <summary>
    /// Every entry <c>bridge -j fdb show</c> lists is in <see cref="FdbManager.List"/> with the same fields, and every entry
    /// LinuxNet lists is one bridge shows. The kernel adds multicast entries of its own while links come up (MLD and IGMP
    /// joins on every port), so bridge reads before and after LinuxNet's: what bridge showed before must be in LinuxNet's
    /// list, and what LinuxNet lists must be in bridge's list after.
    /// </summary>
    private void AssertListMatchesBridge(params string[] filter)
    {
        JsonElement[] bridge = BridgeFdb(filter);
        IReadOnlyList<FdbInfo> mine = filter.Length == 0 ? Fdb.List()
            : filter[0] == "dev" ? Fdb.List(link: filter[1])
            : Fdb.List(bridge: filter[1]);
        JsonElement[] after = BridgeFdb(filter);
        string IfName(JsonElement e) =>
            // bridge fdb show dev X leaves ifname out: every entry is X's.
            Text(e, "ifname") ?? (filter.Length > 0 && filter[0] == "dev" ? filter[1] : throw new AssertionException($"no ifname in {e}"));
        bool Same(FdbInfo m, JsonElement e) =>
            NeighbourMac(m) == e.GetProperty("mac").GetString() && _names[m.LinkIndex] == IfName(e) && m.Destination?.ToString() == Text(e, "dst");
        Assert.That(mine, Has.Count.InRange(bridge.Length, after.Length), string.Join("\n", after.Select(b => b.ToString())));
        foreach (FdbInfo m in mine)
        {
            Assert.That(after.Count(e => Same(m, e)), Is.EqualTo(1), $"{NeighbourMac(m)} on {_names[m.LinkIndex]} is not in bridge's list after");
        }

        foreach (JsonElement e in bridge)
        {
            FdbInfo[] candidates = mine.Where(m => Same(m, e)).ToArray();
            Assert.That(candidates, Has.Length.EqualTo(1), e.ToString());
            FdbInfo m = candidates[0];
            Assert.Multiple(() =>
            {
                Assert.That(m.MasterIndex == 0 ? null : _names[m.MasterIndex], Is.EqualTo(Text(e, "master")), e.ToString());
                Assert.That(m.StateName, Is.EqualTo(Text(e, "state")), e.ToString());
                Assert.That(m.Vni?.ToString(), Is.EqualTo(Text(e, "vni")), e.ToString());
                Assert.That(m.Port?.ToString(), Is.EqualTo(Text(e, "port")), e.ToString());
                Assert.That(m.SourceVni?.ToString(), Is.EqualTo(Text(e, "src_vni")), e.ToString());
                Assert.That(m.ViaIndex == 0 ? null : _names[m.ViaIndex], Is.EqualTo(Text(e, "viaIf")), e.ToString());
                Assert.That(m.Vlan?.ToString(), Is.EqualTo(Text(e, "vlan")), e.ToString());
                Assert.That((m.Flags & FdbFlags.Self) != 0, Is.EqualTo(e.TryGetProperty("flags", out JsonElement flags) && flags.EnumerateArray().Any(f => f.GetString() == "self")), e.ToString());
            });
        }
    }

    private static string NeighbourMac(FdbInfo info) => string.Join(":", info.Address.GetAddressBytes().Select(b => b.ToString("x2")));

    [Test]
    public void Add_EntriesOfEveryKind_BridgeShowsSameFields()
    {
        Fdb.Add(new FdbSpec(Mac("02:00:00:00:00:01"), "d0") { Flags = FdbFlags.Master });
        Fdb.Add(new FdbSpec(Mac("02:00:00:00:00:02"), "d0") { Flags = FdbFlags.Master, State = FdbEntryState.Static });
        Fdb.Add(new FdbSpec(Mac("02:00:00:00:00:03"), "d0") { Flags = FdbFlags.Master, State = FdbEntryState.Dynamic });
        Fdb.Add(new FdbSpec(Mac("02:00:00:00:00:05"), "d0") { Flags = FdbFlags.Self });
        Fdb.Add(new FdbSpec(Mac("00:00:00:00:00:00"), "vx0") { Destination = IPAddress.Parse("203.0.113.5"), Vni = 77, Port = 4790 });
        Fdb.Add(new FdbSpec(Mac("02:00:00:00:00:06"), "vx0") { Destination = IPAddress.Parse("203.0.113.6"), Via = "v0" });

        JsonElement vx = BridgeFdb("dev", "vx0").Single(e => e.GetProperty("mac").GetString() == "00:00:00:00:00:00");
        Assert.That(vx.GetProperty("vni").GetInt32(), Is.EqualTo(77));
        Assert.That(vx.GetProperty("port").GetInt32(), Is.EqualTo(4790));
        JsonElement stat = BridgeFdb("dev", "d0").Single(e => e.GetProperty("mac").GetString() == "02:00:00:00:00:02");
        Assert.That(stat.GetProperty("state").GetString(), Is.EqualTo("static"));
        AssertListMatchesBridge();
        AssertListMatchesBridge("dev", "vx0");
        AssertListMatchesBridge("br", "br0");
    }

    [Test]
    public async Task ListAsync_EntriesAddedByBridge_ReadsWhatBridgeShows()
    {
        IpOracle.Execute(_ns, "bridge", "fdb", "add", "02:00:00:00:00:11", "dev", "d0", "master", "static");
        IpOracle.Execute(_ns, "bridge", "fdb", "add", "02:00:00:00:00:12", "dev", "d0", "master", "dynamic");
        IpOracle.Execute(_ns, "bridge", "fdb", "add", "00:00:00:00:00:00", "dev", "vx0", "dst", "203.0.113.5", "vni", "78", "port", "4791");
        IpOracle.Execute(_ns, "bridge", "fdb", "append", "00:00:00:00:00:00", "dev", "vx0", "dst", "203.0.113.7");
        IpOracle.Execute(_ns, "bridge", "fdb", "add", "02:00:00:00:00:13", "dev", "vx0", "dst", "203.0.113.8", "via", "v0");
        IReadOnlyList<FdbInfo> vx = await Fdb.ListAsync(link: "vx0");
        Assert.That(vx.Where(e => NeighbourMac(e) == "00:00:00:00:00:00").Select(e => e.Destination!.ToString()), Is.EquivalentTo(new[] { "203.0.113.5", "203.0.113.7" }));
        AssertListMatchesBridge();
    }

    [Test]
    public void AppendReplaceDelete_RoundTripWithBridge()
    {
        var flood = new FdbSpec(Mac("00:00:00:00:00:00"), "vx0") { Destination = IPAddress.Parse("203.0.113.5") };
        Fdb.Add(flood);
        Fdb.Append(new FdbSpec(Mac("00:00:00:00:00:00"), "vx0") { Destination = IPAddress.Parse("203.0.113.7") });
        Assert.That(BridgeFdb("dev", "vx0").Select(e => Text(e, "dst")), Is.EquivalentTo(new[] { "203.0.113.5", "203.0.113.7" }));

        Fdb.Add(new FdbSpec(Mac("02:00:00:00:00:21"), "d0") { Flags = FdbFlags.Master, State = FdbEntryState.Static });
        Fdb.Replace(new FdbSpec(Mac("02:00:00:00:00:21"), "d0") { Flags = FdbFlags.Master, State = FdbEntryState.Dynamic });
        Assert.That(BridgeFdb("dev", "d0").Single(e => Text(e, "mac") == "02:00:00:00:00:21").GetProperty("state").GetString(), Is.Empty);

        Fdb.Delete(new FdbSpec(Mac("02:00:00:00:00:21"), "d0") { Flags = FdbFlags.Master });
        Fdb.Delete(new FdbSpec(Mac("00:00:00:00:00:00"), "vx0") { Destination = IPAddress.Parse("203.0.113.7") });
        Assert.That(BridgeFdb("dev", "d0").Any(e => Text(e, "mac") == "02:00:00:00:00:21"), Is.False);
        Assert.That(BridgeFdb("dev", "vx0").Select(e => Text(e, "dst")), Is.EqualTo(new[] { "203.0.113.5" }));
        AssertListMatchesBridge();
    }

    [Test]
    public void Batch_AddAppendReplaceDelete_BridgeShowsTheSameEntries()
    {
        using (RtnetlinkBatch batch = _links.Session.CreateBatch())
        {
            batch.AddFdb(new FdbSpec(Mac("02:00:00:00:00:51"), "d0") { Flags = FdbFlags.Master, State = FdbEntryState.Static });
            batch.AddFdb(new FdbSpec(Mac("02:00:00:00:00:52"), "d0") { Flags = FdbFlags.Master });
            batch.AddFdb(new FdbSpec(Mac("00:00:00:00:00:00"), "vx0") { Destination = IPAddress.Parse("203.0.113.5"), Vni = 77, Port = 4790 });
            batch.AppendFdb(new FdbSpec(Mac("00:00:00:00:00:00"), "vx0") { Destination = IPAddress.Parse("203.0.113.7") });
            batch.AddFdb(new FdbSpec(Mac("02:00:00:00:00:53"), "vx0") { Destination = IPAddress.Parse("203.0.113.6"), Via = "v0" });
            batch.ReplaceFdb(new FdbSpec(Mac("02:00:00:00:00:51"), "d0") { Flags = FdbFlags.Master, State = FdbEntryState.Dynamic });
            batch.DeleteFdb(new FdbSpec(Mac("02:00:00:00:00:52"), "d0") { Flags = FdbFlags.Master });
            batch.DeleteFdb(new FdbSpec(Mac("02:00:00:00:00:59"), "d0") { Flags = FdbFlags.Master });
            RtnetlinkBatchResult result = batch.Execute();
            Assert.Multiple(() =>
            {
                Assert.That(result.FailedCount, Is.EqualTo(1), string.Join("; ", result.Failures.Select(f => f.Error?.Message)));
                Assert.That(result[7].Error?.IsNotFound, Is.True, "the missing entry fails on its own");
            });
        }

        Assert.Multiple(() =>
        {
            Assert.That(BridgeFdb("dev", "d0").Single(e => Text(e, "mac") == "02:00:00:00:00:51").GetProperty("state").GetString(), Is.Empty, "replaced to dynamic");
            Assert.That(BridgeFdb("dev", "d0").Any(e => Text(e, "mac") == "02:00:00:00:00:52"), Is.False, "deleted");
            Assert.That(BridgeFdb("dev", "vx0").Where(e => Text(e, "mac") == "00:00:00:00:00:00").Select(e => Text(e, "dst")), Is.EquivalentTo(new[] { "203.0.113.5", "203.0.113.7" }));
        });
        AssertListMatchesBridge();
        AssertListMatchesBridge("dev", "vx0");
    }

    [Test]
    public void Add_Duplicate_ThrowsAlreadyExistsNamedAsBridge()
    {
        var spec = new FdbSpec(Mac("02:00:00:00:00:31"), "d0") { Flags = FdbFlags.Master, State = FdbEntryState.Static };
        Fdb.Add(spec);
        var e = Assert.Throws<NetlinkException>(() => Fdb.Add(spec));
        Assert.That(e!.IsAlreadyExists, Is.True);
        Assert.That(e.Message, Does.StartWith("bridge fdb add"));
    }

    [Test]
    public void Delete_Missing_ThrowsNotFound()
    {
        var e = Assert.Throws<NetlinkException>(() => Fdb.Delete(new FdbSpec(Mac("02:00:00:00:00:41"), "d0") { Flags = FdbFlags.Master }));
        Assert.That(e!.IsNotFound, Is.True, e.Message);
        Assert.That(e.Message, Does.StartWith("bridge fdb del"));
    }

    [Test]
    public void Add_VlanWithoutVlanFiltering_ExplainsTheRefusal()
    {
        var e = Assert.Throws<NetlinkException>(() => Fdb.Add(new FdbSpec(Mac("02:00:00:00:00:04"), "d0") { Flags = FdbFlags.Master, Vlan = 10 }));
        Assert.That(e!.Errno, Is.EqualTo(Errno.EINVAL));
        Assert.That(e.Message, Does.Contain("vlan 10").And.Contain("CONFIG_BRIDGE_VLAN_FILTERING"));
        Assert.That(BridgeFdb("dev", "d0").Any(x => Text(x, "mac") == "02:00:00:00:00:04"), Is.False, "nothing half-made");
    }

    [Test]
    public void Batch_VlanWithoutVlanFiltering_ExplainsTheRefusalAsTheSingleVerb()
    {
        var spec = new FdbSpec(Mac("02:00:00:00:00:05"), "d0") { Flags = FdbFlags.Master, Vlan = 11 };
        var single = Assert.Throws<NetlinkException>(() => Fdb.Add(spec));
        using RtnetlinkBatch batch = _links.Session.CreateBatch();
        batch.AddFdb(new FdbSpec(Mac("02:00:00:00:00:06"), "d0") { Flags = FdbFlags.Master });
        batch.AddFdb(spec);
        spec.Vlan = 12; // changed after it was added: the item's text still names the VLAN that was sent
        batch.DeleteFdb(new FdbSpec(Mac("02:00:00:00:00:07"), "d0") { Flags = FdbFlags.Master, Vlan = 13 });
        RtnetlinkBatchResult result = batch.Execute();
        Assert.Multiple(() =>
        {
            Assert.That(result[0].Succeeded, Is.True, result[0].ToString());
            Assert.That(result[1].Errno, Is.EqualTo(Errno.EINVAL));
            Assert.That(result[1].Error?.Message, Is.EqualTo(single!.Message), "the batch item says what the single verb says");
            Assert.That(result[1].Error?.Operation, Is.EqualTo("bridge fdb add"));
            Assert.That(result[2].Error?.IsNotFound, Is.True, "a missing entry with a VLAN is ENOENT, as bridge fdb del says: " + result[2]);
            Assert.That(result[2].Error?.Message, Does.Not.Contain("CONFIG_BRIDGE_VLAN_FILTERING"), "only a bare EINVAL is explained");
            Assert.That(BridgeFdb("dev", "d0").Any(x => Text(x, "mac") == "02:00:00:00:00:05"), Is.False, "nothing half-made");
        });
    }

    [Test]
    public void Add_MissingLink_ThrowsBeforeTheRequestWithBridgesWords()
    {
        var e = Assert.Throws<NetlinkException>(() => Fdb.Add(new FdbSpec(Mac("02:00:00:00:00:51"), "nosuch0")));
        Assert.That(e!.Message, Does.Contain("bridge fdb add").And.Contain("nosuch0"));
    }

    private static bool? Bool(JsonElement e, string name) => e.TryGetProperty(name, out JsonElement v) ? v.GetBoolean() : null;

    private void AssertPortsMatchBridge()
    {
        JsonElement[] bridge = JsonDocument.Parse(IpOracle.Execute(_ns, "bridge", "-d", "-j", "link", "show")).RootElement.Clone().EnumerateArray().ToArray();
        IReadOnlyList<BridgePortInfo> mine = Fdb.ListPorts();
        Assert.That(mine.Select(p => p.Name), Is.EqualTo(bridge.Select(b => b.GetProperty("ifname").GetString())));
        foreach ((BridgePortInfo p, JsonElement b) in mine.Zip(bridge))
        {
            Assert.Multiple(() =>
            {
                Assert.That(p.Index, Is.EqualTo(b.GetProperty("ifindex").GetInt32()));
                Assert.That(_names[p.MasterIndex], Is.EqualTo(b.GetProperty("master").GetString()));
                Assert.That(p.LinkIndex == 0 ? null : _names[p.LinkIndex], Is.EqualTo(Text(b, "link")));
                Assert.That(p.Mtu, Is.EqualTo(b.GetProperty("mtu").GetUInt32()));
                Assert.That(BridgePortInfo.StateName(p.State!.Value), Is.EqualTo(b.GetProperty("state").GetString()));
                Assert.That(p.Priority, Is.EqualTo(b.GetProperty("priority").GetUInt16()));
                Assert.That(p.Cost, Is.EqualTo(b.GetProperty("cost").GetUInt32()));
                Assert.That(p.Hairpin, Is.EqualTo(Bool(b, "hairpin")));
                Assert.That(p.Guard, Is.EqualTo(Bool(b, "guard")));
                Assert.That(p.RootBlock, Is.EqualTo(Bool(b, "root_block")));
                Assert.That(p.FastLeave, Is.EqualTo(Bool(b, "fastleave")));
                Assert.That(p.Learning, Is.EqualTo(Bool(b, "learning")));
                Assert.That(p.UnicastFlood, Is.EqualTo(Bool(b, "flood")));
                Assert.That(p.MulticastFlood, Is.EqualTo(Bool(b, "mcast_flood")));
                Assert.That(p.BroadcastFlood, Is.EqualTo(Bool(b, "bcast_flood")));
                Assert.That(p.MulticastRouter, Is.EqualTo(b.TryGetProperty("mcast_router", out JsonElement mr) ? mr.GetByte() : (byte?)null));
                Assert.That(p.NeighbourSuppress, Is.EqualTo(Bool(b, "neigh_suppress")));
                Assert.That(p.Isolated, Is.EqualTo(Bool(b, "isolated")));
                Assert.That(p.Locked, Is.EqualTo(Bool(b, "locked")));
            });
        }
    }

    [Test]
    public void ListPorts_AfterBridgeLinkSet_ReadsWhatBridgeShows()
    {
        IpOracle.Execute(_ns, "bridge", "link", "set", "dev", "d0", "cost", "7", "priority", "12", "learning", "off", "hairpin", "on", "isolated", "on");
        AssertPortsMatchBridge();
        BridgePortInfo d0 = Fdb.ListPorts(bridge: "br0").Single();
        Assert.That((d0.Cost, d0.Priority, d0.Learning, d0.Hairpin, d0.Isolated), Is.EqualTo(((uint?)7, (ushort?)12, (bool?)false, (bool?)true, (bool?)true)));
    }

    [Test]
    public async Task SetPortAsync_Settings_BridgeShowsThem()
    {
        await Fdb.SetPortAsync("d0", new BridgePortChanges { Cost = 5, Priority = 10, UnicastFlood = false, MulticastFlood = false, Guard = true, State = BridgePortState.Disabled });
        JsonElement b = JsonDocument.Parse(IpOracle.Execute(_ns, "bridge", "-d", "-j", "link", "show")).RootElement.Clone()[0];
        Assert.Multiple(() =>
        {
            Assert.That(b.GetProperty("cost").GetInt32(), Is.EqualTo(5));
            Assert.That(b.GetProperty("priority").GetInt32(), Is.EqualTo(10));
            Assert.That(b.GetProperty("flood").GetBoolean(), Is.False);
            Assert.That(b.GetProperty("mcast_flood").GetBoolean(), Is.False);
            Assert.That(b.GetProperty("guard").GetBoolean(), Is.True);
            // Without STP the kernel re-selects every port that is not disabled as forwarding; disabled sticks.
            Assert.That(b.GetProperty("state").GetString(), Is.EqualTo("disabled"));
        });
        AssertPortsMatchBridge();
    }

    [Test]
    public void SetPort_BadInput_ThrowsBeforeTheRequest()
    {
        Assert.Throws<ArgumentException>(() => Fdb.SetPort("d0", new BridgePortChanges()));
        Assert.Throws<ArgumentException>(() => Fdb.SetPort("d0", new BridgePortChanges { Priority = 64 }));
        Assert.Throws<ArgumentException>(() => Fdb.SetPort("d0", new BridgePortChanges { Cost = 0 }));
    }

    [Test]
    public void SetPort_NotABridgePort_KernelRefusalNamedAsBridge()
    {
        var e = Assert.Throws<NetlinkException>(() => Fdb.SetPort("v0", new BridgePortChanges { Cost = 5 }));
        Assert.That(e!.Message, Does.StartWith("bridge link set"));
    }
}
