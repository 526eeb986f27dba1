using System.Net;
using System.Net.Sockets;
using LinuxNet.Netlink;
using LinuxNet.Route;
using LinuxNet.Tests.Infrastructure;

namespace LinuxNet.Tests.Route.Addresses;

public class AddressMessagesTests
{
    // Interface index of v0 in the capture namespace (see TestData/iproute2/README.md).
    private const int V0 = 3;

    private static byte[] Write(ushort type, NetlinkMessageFlags flags, AddressSpec spec)
    {
        AddressMessages.Validate(spec, type == LinuxRtnetlink.RTM_DELADDR);
        var buffer = new byte[AddressMessages.MaxRequestSize];
        int length = AddressMessages.WriteModify(buffer, type, flags, spec, V0);
        return buffer.AsSpan(0, length).ToArray();
    }

    private static byte[] Add(AddressSpec spec) => Write(LinuxRtnetlink.RTM_NEWADDR, AddressMessages.AddFlags, spec);

    [Test]
    public void WriteModify_Ipv4Add_MatchesIproute2()
        => Iproute2Capture.AssertMatches("addr-add-ipv4", Add(new AddressSpec("v0", IPPrefix.Parse("198.51.100.7/24"))));

    [Test]
    public void WriteModify_Ipv6Add_MatchesIproute2()
        => Iproute2Capture.AssertMatches("addr-add-ipv6", Add(new AddressSpec("v0", IPPrefix.Parse("2001:db8::7/64"))));

    [Test]
    public void WriteModify_Ipv6AddNoDad_MatchesIproute2()
        => Iproute2Capture.AssertMatches("addr-add-ipv6-nodad", Add(new AddressSpec("v0", IPPrefix.Parse("2001:db8::1/64")) { Flags = AddressFlags.NoDad }));

    [Test]
    public void WriteModify_Ipv6Replace_MatchesIproute2()
        => Iproute2Capture.AssertMatches("addr-replace-ipv6", Write(LinuxRtnetlink.RTM_NEWADDR, AddressMessages.ReplaceFlags, new AddressSpec("v0", IPPrefix.Parse("2001:db8::1/64")) { Flags = AddressFlags.NoDad }));

    [Test]
    public void WriteModify_Ipv4Delete_MatchesIproute2()
        => Iproute2Capture.AssertMatches("addr-del-ipv4", Write(LinuxRtnetlink.RTM_DELADDR, AddressMessages.DeleteFlags, new AddressSpec("v0", IPPrefix.Parse("198.51.100.7/24"))));

    [Test]
    public void WriteModify_Ipv6Delete_MatchesIproute2()
        => Iproute2Capture.AssertMatches("addr-del-ipv6", Write(LinuxRtnetlink.RTM_DELADDR, AddressMessages.DeleteFlags, new AddressSpec("v0", IPPrefix.Parse("2001:db8::1/64"))));

    [Test]
    public void WriteModify_PeerAddress_MatchesIproute2()
        => Iproute2Capture.AssertMatches("addr-add-ipv4-peer", Add(new AddressSpec("v0", IPPrefix.Parse("198.51.100.50/32")) { Peer = IPAddress.Parse("198.51.100.51") }));

    [Test]
    public void WriteModify_ExplicitBroadcast_MatchesIproute2()
        => Iproute2Capture.AssertMatches("addr-add-ipv4-brd", Add(new AddressSpec("v0", IPPrefix.Parse("198.51.100.60/26")) { Broadcast = IPAddress.Parse("198.51.100.63") }));

    [Test]
    public void WriteModify_AllOptions_MatchesIproute2()
    {
        // ip addr add 198.51.100.7/24 brd + label v0:lab scope link metric 50 valid_lft 300 preferred_lft 200 noprefixroute dev v0
        var spec = new AddressSpec("v0", IPPrefix.Parse("198.51.100.7/24"))
        {
            AutoBroadcast = true,
            Label = "v0:lab",
            Scope = RouteScope.Link,
            Metric = 50,
            ValidLifetime = TimeSpan.FromSeconds(300),
            PreferredLifetime = TimeSpan.FromSeconds(200),
            Flags = AddressFlags.NoPrefixRoute,
        };
        Iproute2Capture.AssertMatches("addr-add-ipv4-full", Add(spec));
    }

    [Test]
    public void WriteDump_AllFamilies_MatchesIproute2()
    {
        var buffer = new byte[64];
        int length = AddressMessages.WriteDump(buffer, AddressFamily.Unspecified, 0);
        byte[] expected = Iproute2Capture.LoadMessages("addr-dump")[1];
        Assert.That(Iproute2Capture.FirstDifference(expected, buffer.AsSpan(0, length)), Is.EqualTo(-1));
    }

    [Test]
    public void Parse_RealDump_MatchesIpJson()
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "TestData", "route-replies");
        byte[] reply = Iproute2Capture.Parse(File.ReadAllText(Path.Combine(dir, "addr-dump-reply.txt")));
        var parsed = new List<AddressInfo>();
        foreach (NetlinkMessage message in new NetlinkMessageEnumerator(reply))
        {
            parsed.Add(AddressMessages.Parse(message)!);
        }

        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "addr-dump-reply.ip.json")));
        var expected = new List<(int Index, System.Text.Json.JsonElement Address)>();
        foreach (var link in json.RootElement.EnumerateArray())
        {
            foreach (var a in link.GetProperty("addr_info").EnumerateArray())
            {
                expected.Add((link.GetProperty("ifindex").GetInt32(), a));
            }
        }

        Assert.That(parsed, Has.Count.EqualTo(expected.Count));
        foreach (var (index, a) in expected)
        {
            AddressInfo? info = parsed.SingleOrDefault(p => p.LinkIndex == index && p.Address.Address.Equals(IPAddress.Parse(a.GetProperty("local").GetString()!)));
            Assert.That(info, Is.Not.Null, $"address {a} of link {index}");
            Assert.Multiple(() =>
            {
                Assert.That(info!.Address.PrefixLength, Is.EqualTo(a.GetProperty("prefixlen").GetInt32()));
                Assert.That(info.Family, Is.EqualTo(a.GetProperty("family").GetString() == "inet6" ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork));
                Assert.That(info.Peer?.ToString(), Is.EqualTo(a.TryGetProperty("address", out var peer) ? peer.GetString() : null));
                Assert.That(info.Broadcast?.ToString(), Is.EqualTo(a.TryGetProperty("broadcast", out var brd) ? brd.GetString() : null));
                Assert.That(info.Label, Is.EqualTo(a.TryGetProperty("label", out var label) ? label.GetString() : null));
                Assert.That(ScopeName(info.Scope), Is.EqualTo(a.GetProperty("scope").GetString()));
                Assert.That(info.ValidLifetime is null ? 4294967295L : (long)info.ValidLifetime.Value.TotalSeconds, Is.EqualTo(a.GetProperty("valid_life_time").GetInt64()).Within(5));
                Assert.That(info.PreferredLifetime is null ? 4294967295L : (long)info.PreferredLifetime.Value.TotalSeconds, Is.EqualTo(a.GetProperty("preferred_life_time").GetInt64()).Within(5));
                Assert.That((info.Flags & AddressFlags.NoPrefixRoute) != 0, Is.EqualTo(a.TryGetProperty("noprefixroute", out _)));
                Assert.That((info.Flags & AddressFlags.NoDad) != 0, Is.EqualTo(a.TryGetProperty("nodad", out _)));
                Assert.That(info.Flags.HasFlag(AddressFlags.Permanent), Is.EqualTo(!a.TryGetProperty("dynamic", out _)));
            });
        }
    }

    [Test]
    public void Parse_RealDump_ReadsPeerLabelAndLifetimes()
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "TestData", "route-replies");
        byte[] reply = Iproute2Capture.Parse(File.ReadAllText(Path.Combine(dir, "addr-dump-reply.txt")));
        var parsed = new List<AddressInfo>();
        foreach (NetlinkMessage message in new NetlinkMessageEnumerator(reply))
        {
            parsed.Add(AddressMessages.Parse(message)!);
        }

        AddressInfo ptp = parsed.Single(a => a.Address.Address.Equals(IPAddress.Parse("198.51.100.50")));
        AddressInfo labelled = parsed.Single(a => a.Address.Address.Equals(IPAddress.Parse("198.51.100.7")));
        Assert.Multiple(() =>
        {
            Assert.That(ptp.Peer, Is.EqualTo(IPAddress.Parse("198.51.100.51")));
            Assert.That(ptp.Address.PrefixLength, Is.EqualTo(32));
            Assert.That(labelled.Label, Is.EqualTo("v0:lab"));
            Assert.That(labelled.Broadcast, Is.EqualTo(IPAddress.Parse("198.51.100.255")));
            Assert.That(labelled.Flags & AddressFlags.NoPrefixRoute, Is.EqualTo(AddressFlags.NoPrefixRoute));
            Assert.That(labelled.ValidLifetime!.Value.TotalSeconds, Is.InRange(1, 300));
            Assert.That(labelled.PreferredLifetime!.Value.TotalSeconds, Is.InRange(1, 200));
        });
    }

    internal static string ScopeName(RouteScope scope) => scope switch
    {
        RouteScope.Universe => "global",
        RouteScope.Link => "link",
        RouteScope.Host => "host",
        RouteScope.Site => "site",
        _ => ((int)scope).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static IEnumerable<TestCaseData> BadSpecs()
    {
        yield return new TestCaseData(new AddressSpec("v0", IPPrefix.Parse("198.51.100.1/24")) { Peer = IPAddress.Parse("2001:db8::2") }).SetName("Validate_IPv6PeerOnIPv4Address_Throws");
        yield return new TestCaseData(new AddressSpec("v0", IPPrefix.Parse("2001:db8::1/64")) { Peer = IPAddress.Parse("198.51.100.2") }).SetName("Validate_IPv4PeerOnIPv6Address_Throws");
        yield return new TestCaseData(new AddressSpec("v0", IPPrefix.Parse("2001:db8::1/64")) { Broadcast = IPAddress.Parse("2001:db8::ff") }).SetName("Validate_BroadcastOnIPv6_Throws");
        yield return new TestCaseData(new AddressSpec("v0", IPPrefix.Parse("198.51.100.1/24")) { Broadcast = IPAddress.Parse("2001:db8::ff") }).SetName("Validate_IPv6BroadcastOnIPv4_Throws");
        yield return new TestCaseData(new AddressSpec("v0", IPPrefix.Parse("2001:db8::1/64")) { AutoBroadcast = true }).SetName("Validate_AutoBroadcastOnIPv6_Throws");
        yield return new TestCaseData(new AddressSpec("v0", IPPrefix.Parse("198.51.100.1/24")) { AutoBroadcast = true, Broadcast = IPAddress.Parse("198.51.100.255") }).SetName("Validate_AutoAndExplicitBroadcast_Throws");
        yield return new TestCaseData(new AddressSpec("v0", IPPrefix.Parse("198.51.100.1/24")) { Label = "v1:x" }).SetName("Validate_LabelNotStartingWithLink_Throws");
        yield return new TestCaseData(new AddressSpec("v0", IPPrefix.Parse("198.51.100.1/24")) { Label = "v0:label-that-is-long" }).SetName("Validate_LabelTooLong_Throws");
        yield return new TestCaseData(new AddressSpec("v0", IPPrefix.Parse("198.51.100.1/24")) { Label = "v0 x" }).SetName("Validate_LabelWithSpace_Throws");
        yield return new TestCaseData(new AddressSpec("v0", IPPrefix.Parse("198.51.100.1/24")) { Flags = AddressFlags.Tentative }).SetName("Validate_ReadOnlyFlagTentative_Throws");
        yield return new TestCaseData(new AddressSpec("v0", IPPrefix.Parse("198.51.100.1/24")) { Flags = AddressFlags.Permanent | AddressFlags.NoDad }).SetName("Validate_ReadOnlyFlagPermanent_Throws");
        yield return new TestCaseData(new AddressSpec("v0", IPPrefix.Parse("198.51.100.1/24")) { ValidLifetime = TimeSpan.Zero }).SetName("Validate_ZeroValidLifetime_Throws");
        yield return new TestCaseData(new AddressSpec("v0", IPPrefix.Parse("198.51.100.1/24")) { ValidLifetime = TimeSpan.FromSeconds(10), PreferredLifetime = TimeSpan.FromSeconds(20) }).SetName("Validate_PreferredLongerThanValid_Throws");
        yield return new TestCaseData(new AddressSpec("v0", IPPrefix.Parse("198.51.100.1/24")) { PreferredLifetime = TimeSpan.FromSeconds(-1) }).SetName("Validate_NegativePreferredLifetime_Throws");
    }

    [TestCaseSource(nameof(BadSpecs))]
    public void Validate_BadSpec_ThrowsArgumentException(AddressSpec spec)
    {
        Assert.That(() => AddressMessages.Validate(spec, deleting: false), Throws.InstanceOf<ArgumentException>());
    }

    [TestCase("")]
    [TestCase("eth0/x")]
    [TestCase("a-name-of-16-byt")]
    [TestCase("has space")]
    [TestCase(".")]
    [TestCase("..")]
    [TestCase("v0:1")]
    public void AddressSpec_InvalidLinkName_ThrowsArgumentException(string name)
    {
        Assert.That(() => new AddressSpec(name, IPPrefix.Parse("198.51.100.1/24")), Throws.InstanceOf<ArgumentException>());
    }

    [Test]
    public void AddressSpec_NonPositiveIndex_ThrowsArgumentException()
    {
        Assert.That(() => new AddressSpec(0, IPPrefix.Parse("198.51.100.1/24")), Throws.InstanceOf<ArgumentException>());
    }

    [Test]
    public void Validate_GoodSpec_DoesNotThrow()
    {
        var spec = new AddressSpec("tun0", IPPrefix.Parse("198.51.100.1/32")) { Peer = IPAddress.Parse("198.51.100.2"), Label = "tun0:vpn", Flags = AddressFlags.NoPrefixRoute, ValidLifetime = TimeSpan.FromSeconds(60) };
        Assert.That(() => AddressMessages.Validate(spec, deleting: false), Throws.Nothing);
    }

    [Test]
    public void WriteModify_OnlyValidLifetime_PreferredEqualsValid()
    {
        byte[] bytes = Add(new AddressSpec("v0", IPPrefix.Parse("2001:db8::9/64")) { ValidLifetime = TimeSpan.FromSeconds(120) });
        // The IFA_CACHEINFO value is the last 16 bytes: preferred, valid, 0, 0.
        uint preferred = BitConverter.ToUInt32(bytes, bytes.Length - 16);
        uint valid = BitConverter.ToUInt32(bytes, bytes.Length - 12);
        Assert.Multiple(() =>
        {
            Assert.That(preferred, Is.EqualTo(120));
            Assert.That(valid, Is.EqualTo(120));
        });
    }

    [Test]
    public void Parse_TruncatedMessage_ThrowsProtocolException()
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "TestData", "route-replies");
        byte[] reply = Iproute2Capture.Split(Iproute2Capture.Parse(File.ReadAllText(Path.Combine(dir, "addr-dump-reply.txt"))))[0];
        byte[] truncated = reply.AsSpan(0, 20).ToArray();
        BitConverter.TryWriteBytes(truncated.AsSpan(0, 4), 20);
        Assert.That(() =>
        {
            foreach (NetlinkMessage message in new NetlinkMessageEnumerator(truncated))
            {
                AddressMessages.Parse(message);
            }
        }, Throws.TypeOf<NetlinkProtocolException>());
    }
}
