using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Text.Json;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;
using LinuxNet.Netlink;
using LinuxNet.Route;
using static LinuxNet.IntegrationTests.Route.Links.LinkOracle;

namespace LinuxNet.IntegrationTests.Route.Links;

/// <summary>
/// LinkManager against the real kernel, each test in a fresh anonymous namespace, with <c>ip -j -d link show</c> as the
/// oracle in both directions.
/// </summary>
[Category("Privileged")]
public class LinkManagerTests
{
    private NetNamespace _ns = null!;
    private LinkManager _links = null!;

    [SetUp]
    public void SetUp()
    {
        Privileged.RequireRoot();
        _ns = NetNamespace.CreateAnonymous();
        _links = LinkManager.Open(_ns);
    }

    [TearDown]
    public void TearDown()
    {
        _links?.Dispose();
        _ns?.Dispose();
    }

    [Test]
    public void GetLinks_FreshNamespace_ReturnsOnlyLoopback()
    {
        IReadOnlyList<LinkInfo> links = _links.List();
        Assert.That(links.Select(l => l.Name), Is.EqualTo(new[] { "lo" }));
        AssertSame(Show(_ns, "lo"), links[0], links);
    }

    [Test]
    public async Task GetLinksAsync_FreshNamespace_ReturnsOnlyLoopback()
    {
        IReadOnlyList<LinkInfo> links = await _links.ListAsync();
        Assert.That(links.Select(l => (l.Index, l.Name, l.Kind)), Is.EqualTo(new[] { (1, "lo", (string?)null) }));
    }

    [Test]
    public void GetLink_Missing_ReturnsNull()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_links.TryGet("nope0"), Is.Null);
            Assert.That(_links.TryGet(4242), Is.Null);
            Assert.That(_links.TryGet("lo")!.Index, Is.EqualTo(1));
            Assert.That(_links.TryGet(1)!.Name, Is.EqualTo("lo"));
            Assert.That(_links.GetIndex("lo"), Is.EqualTo(1));
        });
    }

    [Test]
    public void CreateLink_Veth_IpShowsBothEnds()
    {
        int index = _links.Add(new VethLinkSpec("v0", "v1") { Mtu = 1400, Address = PhysicalAddress.Parse("02-00-00-00-00-0A") });
        IReadOnlyList<LinkInfo> all = _links.List();
        JsonElement v0 = Show(_ns, "v0");
        JsonElement v1 = Show(_ns, "v1");
        Assert.Multiple(() =>
        {
            Assert.That(index, Is.EqualTo(v0.GetProperty("ifindex").GetInt32()));
            Assert.That(Kind(v0), Is.EqualTo("veth"));
            Assert.That(Kind(v1), Is.EqualTo("veth"));
            Assert.That(v0.GetProperty("mtu").GetInt32(), Is.EqualTo(1400));
            Assert.That(v0.GetProperty("address").GetString(), Is.EqualTo("02:00:00:00:00:0a"));
            Assert.That(v0.GetProperty("link").GetString(), Is.EqualTo("v1"));
            Assert.That(v1.GetProperty("link").GetString(), Is.EqualTo("v0"));
        });
        AssertSame(v0, all.Single(l => l.Name == "v0"), all);
        AssertSame(v1, all.Single(l => l.Name == "v1"), all);
        Assert.That(((VethKindInfo)all.Single(l => l.Name == "v0").KindInfo!).PeerIndex, Is.EqualTo(v1.GetProperty("ifindex").GetInt32()));
    }

    [Test]
    public async Task CreateLinkAsync_BridgeWithSettings_IpShowsThem()
    {
        int index = await _links.AddAsync(new BridgeLinkSpec("br0")
        {
            StpEnabled = true,
            ForwardDelay = TimeSpan.FromSeconds(4),
            AgeingTime = TimeSpan.FromSeconds(100),
            Priority = 4096,
        });
        JsonElement br0 = Show(_ns, "br0");
        JsonElement data = InfoData(br0);
        Assert.Multiple(() =>
        {
            Assert.That(index, Is.EqualTo(br0.GetProperty("ifindex").GetInt32()));
            Assert.That(Kind(br0), Is.EqualTo("bridge"));
            Assert.That(data.GetProperty("stp_state").GetInt32(), Is.EqualTo(1));
            Assert.That(data.GetProperty("forward_delay").GetInt32(), Is.EqualTo(400));
            Assert.That(data.GetProperty("ageing_time").GetInt32(), Is.EqualTo(10000));
            Assert.That(data.GetProperty("priority").GetInt32(), Is.EqualTo(4096));
        });
        IReadOnlyList<LinkInfo> all = await _links.ListAsync();
        AssertSame(br0, all.Single(l => l.Name == "br0"), all);
    }

    [Test]
    public void CreateLink_VxlanOnVeth_IpShowsIdPortLocalRemoteDev()
    {
        _links.Add(new VethLinkSpec("v0", "v1"));
        _links.Add(new VxlanLinkSpec("vx0", 4242)
        {
            Port = 4789,
            Local = IPAddress.Parse("198.51.100.1"),
            Remote = IPAddress.Parse("198.51.100.2"),
            Underlay = "v0",
            Learning = false,
        });
        _links.Add(new VxlanLinkSpec("vx6", 7) { Group = IPAddress.Parse("ff05::42"), Underlay = "v0", Port = 4790 });
        JsonElement data = InfoData(Show(_ns, "vx0"));
        JsonElement data6 = InfoData(Show(_ns, "vx6"));
        Assert.Multiple(() =>
        {
            Assert.That(data.GetProperty("id").GetInt32(), Is.EqualTo(4242));
            Assert.That(data.GetProperty("port").GetInt32(), Is.EqualTo(4789));
            Assert.That(data.GetProperty("local").GetString(), Is.EqualTo("198.51.100.1"));
            Assert.That(data.GetProperty("remote").GetString(), Is.EqualTo("198.51.100.2"));
            Assert.That(data.GetProperty("link").GetString(), Is.EqualTo("v0"));
            Assert.That(data.GetProperty("learning").GetBoolean(), Is.False);
            Assert.That(data6.GetProperty("group6").GetString(), Is.EqualTo("ff05::42"));
            Assert.That(data6.GetProperty("port").GetInt32(), Is.EqualTo(4790));
        });
        IReadOnlyList<LinkInfo> all = _links.List();
        AssertSame(Show(_ns, "vx0"), all.Single(l => l.Name == "vx0"), all);
        AssertSame(Show(_ns, "vx6"), all.Single(l => l.Name == "vx6"), all);
    }

    [Test]
    public void CreateLink_MacvlanAndMacvtap_IpShowsModeAndParent()
    {
        int v0 = _links.Add(new VethLinkSpec("v0", "v1"));
        _links.Add(new MacvlanLinkSpec("mv0", "v0") { Mode = MacvlanMode.Bridge });
        _links.Add(new MacvtapLinkSpec("mvt0", v0) { Mode = MacvlanMode.Private });
        JsonElement mv0 = Show(_ns, "mv0");
        JsonElement mvt0 = Show(_ns, "mvt0");
        Assert.Multiple(() =>
        {
            Assert.That(Kind(mv0), Is.EqualTo("macvlan"));
            Assert.That(InfoData(mv0).GetProperty("mode").GetString(), Is.EqualTo("bridge"));
            Assert.That(mv0.GetProperty("link").GetString(), Is.EqualTo("v0"));
            Assert.That(Kind(mvt0), Is.EqualTo("macvtap"));
            Assert.That(InfoData(mvt0).GetProperty("mode").GetString(), Is.EqualTo("private"));
            Assert.That(mvt0.GetProperty("link").GetString(), Is.EqualTo("v0"));
        });
        IReadOnlyList<LinkInfo> all = _links.List();
        AssertSame(mv0, all.Single(l => l.Name == "mv0"), all);
        AssertSame(mvt0, all.Single(l => l.Name == "mvt0"), all);
    }

    [Test]
    public void CreateLink_Ifb_IpShowsIt()
    {
        int index = _links.Add(new IfbLinkSpec("ifb0"));
        JsonElement ifb = Show(_ns, "ifb0");
        Assert.That((index, Kind(ifb)), Is.EqualTo((ifb.GetProperty("ifindex").GetInt32(), "ifb")));
        IReadOnlyList<LinkInfo> all = _links.List();
        AssertSame(ifb, all.Single(l => l.Name == "ifb0"), all);
    }

    [Test]
    public void GetLinks_LinksCreatedWithIp_MatchIpFieldByField()
    {
        IpOracle.Run(_ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1");
        IpOracle.Run(_ns, "link", "add", "br0", "type", "bridge");
        IpOracle.Run(_ns, "link", "set", "v1", "master", "br0");
        IpOracle.Run(_ns, "link", "add", "vx0", "type", "vxlan", "id", "42", "dstport", "4789", "local", "198.51.100.1", "remote", "198.51.100.2", "dev", "v0");
        IpOracle.Run(_ns, "link", "add", "mv0", "link", "v0", "type", "macvlan", "mode", "vepa");
        IpOracle.Run(_ns, "link", "set", "v0", "mtu", "1400", "alias", "uplink", "txqueuelen", "500");
        IpOracle.Run(_ns, "link", "set", "v0", "up");
        IpOracle.Run(_ns, "link", "set", "v1", "up");
        IpOracle.Run(_ns, "link", "set", "br0", "mode", "dormant");

        // Carrier and operational state follow link-up asynchronously (link watch): compare once two reads agree.
        string previous = string.Empty;
        for (var settle = System.Diagnostics.Stopwatch.StartNew(); settle.Elapsed < TimeSpan.FromSeconds(5); Thread.Sleep(100))
        {
            string now = IpOracle.Run(_ns, "-br", "link", "show");
            if (now == previous)
            {
                break;
            }

            previous = now;
        }

        IReadOnlyList<LinkInfo> all = _links.List();
        JsonElement[] ip = Show(_ns);
        Assert.That(all.Select(l => l.Name), Is.EqualTo(ip.Select(l => l.GetProperty("ifname").GetString())));
        foreach (JsonElement link in ip)
        {
            AssertSame(link, all.Single(l => l.Index == link.GetProperty("ifindex").GetInt32()), all);
        }

        LinkInfo v0 = _links.TryGet("v0")!;
        Assert.Multiple(() =>
        {
            Assert.That(v0.Alias, Is.EqualTo("uplink"));
            Assert.That(v0.TransmitQueueLength, Is.EqualTo(500));
            Assert.That(v0.Statistics, Is.Not.Null);
            Assert.That(v0.Mode, Is.EqualTo(LinkMode.Default));
            Assert.That(_links.TryGet("br0")!.Mode, Is.EqualTo(LinkMode.Dormant));
        });
    }

    [Test]
    public void CreateLink_VethPeerInOtherNamespace_PeerOnlyThere()
    {
        using NetNamespace other = NetNamespace.CreateAnonymous();
        int index = _links.Add(new VethLinkSpec("v0", "v1") { PeerNamespace = other });
        Assert.Multiple(() =>
        {
            Assert.That(Exists(_ns, "v1"), Is.False, "peer not here");
            Assert.That(Exists(other, "v1"), Is.True, "peer there");
            Assert.That(Kind(Show(other, "v1")), Is.EqualTo("veth"));
        });
        LinkInfo v0 = _links.TryGet(index)!;
        JsonElement ipV0 = Show(_ns, "v0");
        Assert.Multiple(() =>
        {
            Assert.That(v0.LinkNamespaceId, Is.Not.Null);
            Assert.That(v0.LinkNamespaceId, Is.EqualTo(ipV0.GetProperty("link_netnsid").GetInt32()));
            Assert.That(((VethKindInfo)v0.KindInfo!).PeerIndex, Is.EqualTo(Show(other, "v1").GetProperty("ifindex").GetInt32()));
        });
    }

    [Test]
    public async Task SetNamespace_VethEnd_MovesIt()
    {
        using NetNamespace other = NetNamespace.CreateAnonymous();
        _links.Add(new VethLinkSpec("v0", "v1"));
        _links.SetNamespace("v1", other);
        _links.Add(new VethLinkSpec("w0", "w1"));
        await _links.SetNamespaceAsync("w1", other);
        using LinkManager there = LinkManager.Open(other);
        Assert.Multiple(() =>
        {
            Assert.That(_links.TryGet("v1"), Is.Null, "gone here");
            Assert.That(Exists(_ns, "v1"), Is.False);
            Assert.That(Exists(other, "v1"), Is.True, "ip sees it there");
            Assert.That(there.TryGet("v1")?.Kind, Is.EqualTo("veth"));
            Assert.That(Exists(other, "w1"), Is.True);
            Assert.That(_links.TryGet("w1"), Is.Null);
        });
    }

    [Test]
    public void SetProcessNamespace_ProcessInOtherNamespace_MovesLinkThere()
    {
        using NetNamespace other = NetNamespace.CreateAnonymous();
        using Process sleeper = other.StartProcess(new ProcessStartInfo("sleep", "10") { UseShellExecute = false });
        try
        {
            _links.Add(new VethLinkSpec("v0", "v1"));
            _links.SetProcessNamespace("v1", sleeper.Id);
            Assert.Multiple(() =>
            {
                Assert.That(Exists(other, "v1"), Is.True);
                Assert.That(Exists(_ns, "v1"), Is.False);
            });
        }
        finally
        {
            sleeper.Kill();
            sleeper.WaitForExit(5000);
        }
    }

    [Test]
    public async Task SetVerbs_EachChange_IpSeesIt()
    {
        _links.Add(new VethLinkSpec("v0", "v1"));
        _links.Add(new BridgeLinkSpec("br0"));

        _links.SetUp("v0");
        Assert.That(FlagSet(Show(_ns, "v0")), Does.Contain("UP"));
        await _links.SetDownAsync("v0");
        Assert.That(FlagSet(Show(_ns, "v0")), Does.Not.Contain("UP"));
        await _links.SetUpAsync(_links.GetIndex("v1"));
        Assert.That(FlagSet(Show(_ns, "v1")), Does.Contain("UP"));

        _links.SetMtu("v0", 1280);
        Assert.That(Show(_ns, "v0").GetProperty("mtu").GetInt32(), Is.EqualTo(1280));
        _links.SetAddress("v0", PhysicalAddress.Parse("02-00-00-00-00-42"));
        Assert.That(Show(_ns, "v0").GetProperty("address").GetString(), Is.EqualTo("02:00:00:00:00:42"));
        _links.SetAlias("v0", "to the lab");
        Assert.That(Show(_ns, "v0").GetProperty("ifalias").GetString(), Is.EqualTo("to the lab"));
        _links.SetAlias("v0", null);
        Assert.That(Str(Show(_ns, "v0"), "ifalias"), Is.Null);
        _links.SetTransmitQueueLength("v0", 250);
        Assert.That(Show(_ns, "v0").GetProperty("txqlen").GetInt32(), Is.EqualTo(250));
        _links.SetPromiscuous("v0", true);
        Assert.That(FlagSet(Show(_ns, "v0")), Does.Contain("PROMISC"));
        _links.SetPromiscuous("v0", false);
        Assert.That(FlagSet(Show(_ns, "v0")), Does.Not.Contain("PROMISC"));
        _links.SetMode("v0", LinkMode.Dormant);
        Assert.That(Show(_ns, "v0").GetProperty("linkmode").GetString(), Is.EqualTo("DORMANT"));
        await _links.SetModeAsync("v0", LinkMode.Default);
        Assert.That(Show(_ns, "v0").GetProperty("linkmode").GetString(), Is.EqualTo("DEFAULT"));
        Assert.That(() => _links.SetMode("v0", (LinkMode)7), Throws.InstanceOf<ArgumentOutOfRangeException>());

        _links.SetMaster("v1", "br0");
        Assert.That(Str(Show(_ns, "v1"), "master"), Is.EqualTo("br0"));
        Assert.That(_links.TryGet("v1")!.MasterIndex, Is.EqualTo(_links.GetIndex("br0")));
        await _links.SetNoMasterAsync("v1");
        Assert.That(Str(Show(_ns, "v1"), "master"), Is.Null);

        _links.SetName("v0", "uplink0");
        Assert.Multiple(() =>
        {
            Assert.That(Exists(_ns, "uplink0"), Is.True);
            Assert.That(Exists(_ns, "v0"), Is.False);
        });

        LinkInfo renamed = _links.TryGet("uplink0")!;
        IReadOnlyList<LinkInfo> all = _links.List();
        AssertSame(Show(_ns, "uplink0"), renamed, all);

        _links.Delete("uplink0");
        await _links.DeleteAsync("br0");
        Assert.That(Show(_ns).Select(l => l.GetProperty("ifname").GetString()), Is.EqualTo(new[] { "lo" }), "the veth pair and the bridge are gone");
    }

    [TestCase("vlan")]
    [TestCase("dummy")]
    [TestCase("bond")]
    [TestCase("ipvlan")]
    [TestCase("wireguard")]
    public void CreateLink_KindMissingFromKernel_ThrowsNotSupported(string kind)
    {
        _links.Add(new VethLinkSpec("v0", "v1"));
        LinkSpec spec = kind switch
        {
            "vlan" => new VlanLinkSpec("v0.10", "v0", 10),
            "dummy" => new DummyLinkSpec("d0"),
            "bond" => new BondLinkSpec("bond0") { Mode = BondMode.ActiveBackup },
            "ipvlan" => new IpvlanLinkSpec("ipv0", "v0") { Mode = IpvlanMode.L3 },
            _ => new WireguardLinkSpec("wg0"),
        };

        NetlinkException? error = null;
        try
        {
            _links.Add(spec);
        }
        catch (NetlinkException e)
        {
            error = e;
        }

        if (error is null)
        {
            // This kernel has the module after all: then ip must see the link as LinuxNet made it.
            Assert.That(Kind(Show(_ns, spec.Name)), Is.EqualTo(kind));
            return;
        }

        Assert.Multiple(() =>
        {
            Assert.That(error.IsNotSupported, Is.True);
            Assert.That(error.Errno, Is.EqualTo(Errno.EOPNOTSUPP));
            Assert.That(error.Message, Does.Contain($"'{kind}' links are not supported by this kernel (module not loaded or not built)"));
            Assert.That(error.ExtendedAckMessage, Is.EqualTo("Unknown device type"));
            Assert.That(Exists(_ns, spec.Name), Is.False);
        });
    }

    [Test]
    public void CreateLink_BridgeWithVlanFilteringTheKernelLacks_NamesTheOptionNotTheKind()
    {
        NetlinkException? error = null;
        try
        {
            _links.Add(new BridgeLinkSpec("br0") { VlanFiltering = true });
        }
        catch (NetlinkException e)
        {
            error = e;
        }

        if (error is null)
        {
            // This kernel has CONFIG_BRIDGE_VLAN_FILTERING: then ip sees the filtering on.
            Assert.That(IpOracle.Json(_ns, "-d", "link", "show", "br0")[0].GetProperty("linkinfo").GetProperty("info_data").GetProperty("vlan_filtering").GetInt32(), Is.EqualTo(1));
            return;
        }

        // Plain bridges work on the same kernel, so the kind is not what is missing.
        _links.Add(new BridgeLinkSpec("br1"));
        Assert.Multiple(() =>
        {
            Assert.That(error.Errno, Is.EqualTo(Errno.EOPNOTSUPP));
            Assert.That(error.IsNotSupported, Is.True);
            Assert.That(error.Message, Does.Not.Contain("links are not supported by this kernel"));
            Assert.That(error.Message, Does.Contain("this kernel has 'bridge' links but not an option of this request"));
            Assert.That(error.Message, Does.Contain("vlan_filtering").And.Contain("CONFIG_BRIDGE_VLAN_FILTERING"));
            Assert.That(Exists(_ns, "br0"), Is.False, "nothing half-made");
            Assert.That(Exists(_ns, "br1"), Is.True);
        });
    }

    [Test]
    public void CreateLink_DuplicateName_ThrowsAlreadyExists()
    {
        _links.Add(new VethLinkSpec("v0", "v1"));
        var error = Assert.Throws<NetlinkException>(() => _links.Add(new BridgeLinkSpec("v0")))!;
        Assert.Multiple(() =>
        {
            Assert.That(error.IsAlreadyExists, Is.True);
            Assert.That(error.Errno, Is.EqualTo(Errno.EEXIST));
            Assert.That(error.Message, Does.Contain("ip link add v0 type bridge"));
        });
    }

    [Test]
    public void CreateLink_DuplicateVxlanId_SurfacesExtendedAck()
    {
        // ip prints: Error: A VXLAN device with the specified VNI already exists.
        _links.Add(new VxlanLinkSpec("vx0", 42) { Port = 4789 });
        var error = Assert.ThrowsAsync<NetlinkException>(async () => await _links.AddAsync(new VxlanLinkSpec("vx1", 42) { Port = 4789 }))!;
        Assert.Multiple(() =>
        {
            Assert.That(error.IsAlreadyExists, Is.True);
            Assert.That(error.ExtendedAckMessage, Is.Not.Null);
            Assert.That(error.ExtendedAckMessage, Does.Contain("VNI already exists"));
            Assert.That(error.Message, Does.Contain(error.ExtendedAckMessage));
        });
    }

    [Test]
    public void SetMtu_AboveVxlanMaximum_SurfacesErrnoWithoutExtendedAck()
    {
        // vxlan over an underlay allows the underlay's MTU minus 50 bytes; its own check gives a bare EINVAL, and
        // ip prints "RTNETLINK answers: Invalid argument" with no "Error:" line: so no ext-ack text here either.
        _links.Add(new VethLinkSpec("v0", "v1"));
        _links.Add(new VxlanLinkSpec("vx0", 42) { Port = 4789, Underlay = "v0" });
        var error = Assert.Throws<NetlinkException>(() => _links.SetMtu("vx0", 65535))!;
        Assert.Multiple(() =>
        {
            Assert.That(error.Errno, Is.EqualTo(Errno.EINVAL));
            Assert.That(error.ExtendedAckMessage, Is.Null);
            Assert.That(error.Message, Does.Contain("ip link set mtu (link vx0)"));
            Assert.That(Show(_ns, "vx0").GetProperty("mtu").GetInt32(), Is.EqualTo(1450), "unchanged");
        });
    }

    [Test]
    public void Execute_VxlanIdOver24Bits_KernelNamesTheAttribute()
    {
        // Bypasses VxlanLinkSpec's own check to see the kernel's refusal, which points at IFLA_VXLAN_ID.
        var spec = new VxlanLinkSpec("vx0", 1u << 24) { Port = 4789 };
        var error = Assert.Throws<NetlinkException>(() => _links.AddCore(spec))!;
        Assert.Multiple(() =>
        {
            Assert.That(error.Errno, Is.EqualTo(Errno.ERANGE).Or.EqualTo(Errno.EINVAL));
            Assert.That(error.ExtendedAckMessage, Is.Not.Null);
            Assert.That(error.AttributeName, Is.EqualTo("IFLA_LINKINFO/IFLA_INFO_DATA/IFLA_VXLAN_ID"));
            Assert.That(error.AttributePath, Is.EqualTo(new ushort[] { 18, 2, 1 }));
            Assert.That(error.Message, Does.Contain("IFLA_VXLAN_ID"));
        });
    }

    [Test]
    public void LinkVerbs_MissingDevice_ThrowNotFound()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => _links.SetUp("nope0"), Throws.InstanceOf<NetlinkException>().With.Property(nameof(LinuxNetException.IsNotFound)).True);
            Assert.That(() => _links.Delete(4242), Throws.InstanceOf<NetlinkException>().With.Property(nameof(LinuxNetException.IsNotFound)).True);
            Assert.That(() => _links.SetMtu(4242, 1400), Throws.InstanceOf<NetlinkException>().With.Property(nameof(LinuxNetException.IsNotFound)).True);
            Assert.That(() => _links.Add(new MacvlanLinkSpec("mv0", "nope0")), Throws.InstanceOf<NetlinkException>().With.Property(nameof(LinuxNetException.IsNotFound)).True);
        });
    }
}
