using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using LinuxNet.Netlink;
using LinuxNet.Route;
using LinuxNet.Tests.Infrastructure;

namespace LinuxNet.Tests.Route.Neighbours;

[TestFixture]
public class NeighbourMessageTests
{
    // Every capture was taken with v0 at ifindex 3.
    private const int V0 = 3;

    [Test]
    public void WriteNew_AddPermanentIpv4_MatchesIproute2()
    {
        var spec = new NeighbourSpec(IPAddress.Parse("198.51.100.9"), V0) { LinkLayerAddress = PhysicalAddress.Parse("02-00-00-00-00-09") };
        byte[] buffer = new byte[512];
        int length = NeighbourMessage.WriteNew(buffer, spec, V0, replace: false);
        Iproute2Capture.AssertMatches("neigh-add", buffer.AsSpan(0, length));
    }

    [Test]
    public void WriteNew_ReplaceReachable_MatchesIproute2()
    {
        var spec = new NeighbourSpec(IPAddress.Parse("198.51.100.10"), V0)
        {
            LinkLayerAddress = PhysicalAddress.Parse("02-00-00-00-00-0A"),
            State = NeighbourStates.Reachable,
        };
        byte[] buffer = new byte[512];
        int length = NeighbourMessage.WriteNew(buffer, spec, V0, replace: true);
        Iproute2Capture.AssertMatches("neigh-replace", buffer.AsSpan(0, length));
    }

    [Test]
    public void WriteNew_Ipv6StaleRouter_MatchesIproute2()
    {
        var spec = new NeighbourSpec(IPAddress.Parse("2001:db8::9"), V0)
        {
            LinkLayerAddress = PhysicalAddress.Parse("02-00-00-00-00-09"),
            State = NeighbourStates.Stale,
            Flags = NeighbourFlags.Router,
        };
        byte[] buffer = new byte[512];
        int length = NeighbourMessage.WriteNew(buffer, spec, V0, replace: false);
        Iproute2Capture.AssertMatches("neigh-add-ipv6-router", buffer.AsSpan(0, length));
    }

    [Test]
    public void WriteNew_Ipv6Proxy_MatchesIproute2()
    {
        var spec = new NeighbourSpec(IPAddress.Parse("2001:db8::19"), V0) { Flags = NeighbourFlags.Proxy };
        byte[] buffer = new byte[512];
        int length = NeighbourMessage.WriteNew(buffer, spec, V0, replace: false);
        Iproute2Capture.AssertMatches("neigh-add-proxy", buffer.AsSpan(0, length));
    }

    [Test]
    public void WriteDelete_Ipv4_MatchesIproute2()
    {
        var spec = new NeighbourSpec(IPAddress.Parse("198.51.100.10"), V0);
        byte[] buffer = new byte[512];
        int length = NeighbourMessage.WriteDelete(buffer, spec, V0);
        Iproute2Capture.AssertMatches("neigh-del", buffer.AsSpan(0, length));
    }

    [Test]
    public void WriteDump_Ipv6OneLink_MatchesIproute2()
    {
        byte[] buffer = new byte[512];
        int length = NeighbourMessage.WriteDump(buffer, AddressFamily.InterNetworkV6, V0, proxies: false);
        Iproute2Capture.AssertMatches("neigh-dump-ipv6-dev", buffer.AsSpan(0, length));
    }

    [TestCase("198.51.100.7", "neigh-get")]
    [TestCase("2001:db8::5", "neigh-get-ipv6")]
    public void WriteGet_OneEntry_MatchesIproute2(string address, string capture)
    {
        byte[] buffer = new byte[512];
        int length = NeighbourMessage.WriteGet(buffer, IPAddress.Parse(address), V0);
        Iproute2Capture.AssertMatches(capture, buffer.AsSpan(0, length));
    }

    [Test]
    public void WriteDump_BothFamiliesOneLink_MatchesWhatIpNeighFlushDumps()
    {
        byte[] buffer = new byte[512];
        int length = NeighbourMessage.WriteDump(buffer, AddressFamily.Unspecified, V0, proxies: false);
        Assert.That(Iproute2Capture.FirstDifference(Iproute2Capture.LoadMessages("neigh-flush-dev")[1], buffer.AsSpan(0, length)), Is.EqualTo(-1));
    }

    [Test]
    public void FlushDeletes_EachEntryIproute2Deletes_SameKeyAsOurs()
    {
        // ip neigh flush echoes each dumped entry back as RTM_DELNEIGH (no ack, with lladdr and cache info); the kernel's
        // neigh_delete reads only the family, interface index, NTF_PROXY and NDA_DST. Flush writes the delete with the one
        // encoder from the parsed entry: the same key, and our bytes equal those of ip neigh del for that key.
        var deleted = new List<string>();
        foreach (byte[] theirsBytes in Iproute2Capture.LoadMessages("neigh-flush-dev"))
        {
            NeighbourInfo? theirs = ParseOne(theirsBytes, LinuxRtnetlink.RTM_DELNEIGH);
            if (theirs is null)
            {
                continue;
            }

            deleted.Add(theirs.Address.ToString());
            NeighbourSpec spec = NeighbourManager.ToDeleteSpec(theirs);
            byte[] buffer = new byte[512];
            int length = NeighbourMessage.WriteDelete(buffer, spec, spec.Link.Index);
            NeighbourInfo ours = ParseOne(buffer.AsSpan(0, length).ToArray(), LinuxRtnetlink.RTM_DELNEIGH)!;
            Assert.That((ours.Family, ours.LinkIndex, ours.Address, ours.IsProxy), Is.EqualTo((theirs.Family, theirs.LinkIndex, theirs.Address, theirs.IsProxy)));
        }

        Assert.That(deleted, Is.EquivalentTo(new[] { "198.51.100.5", "198.51.100.6", "2001:db8::5" }), "the permanent 198.51.100.7 stays");
    }

    [Test]
    public void Parse_CapturedIpv6RouterMessage_ReadsEveryField()
    {
        NeighbourInfo info = ParseSingle(Iproute2Capture.Load("neigh-add-ipv6-router"));
        Assert.Multiple(() =>
        {
            Assert.That(info.Address, Is.EqualTo(IPAddress.Parse("2001:db8::9")));
            Assert.That(info.Family, Is.EqualTo(AddressFamily.InterNetworkV6));
            Assert.That(info.LinkIndex, Is.EqualTo(V0));
            Assert.That(info.LinkLayerAddress, Is.EqualTo(PhysicalAddress.Parse("02-00-00-00-00-09")));
            Assert.That(info.State, Is.EqualTo(NeighbourStates.Stale));
            Assert.That(info.IsRouter, Is.True);
            Assert.That(info.IsProxy, Is.False);
        });
    }

    [Test]
    public void Parse_ProxyWithoutLinkLayerAddress_HasNullMac()
    {
        NeighbourInfo info = ParseSingle(Iproute2Capture.Load("neigh-add-proxy"));
        Assert.Multiple(() =>
        {
            Assert.That(info.LinkLayerAddress, Is.Null);
            Assert.That(info.IsProxy, Is.True);
        });
    }

    [Test]
    public void Parse_TruncatedAttribute_ThrowsProtocolException()
    {
        byte[] bytes = Iproute2Capture.Load("neigh-add");
        bytes[0x1c] = 0x40; // NDA_DST claims 64 bytes
        Assert.Throws<NetlinkProtocolException>(() => ParseSingle(bytes));
    }

    [TestCase(NeighbourStates.Permanent | NeighbourStates.Stale)]
    [TestCase((NeighbourStates)0x100)]
    public void Add_InvalidState_ThrowsArgumentExceptionBeforeSending(NeighbourStates state)
    {
        var spec = new NeighbourSpec(IPAddress.Parse("198.51.100.9"), V0) { State = state };
        Assert.Throws<ArgumentException>(() => spec.Validate());
    }

    [Test]
    public void Add_UnsettableFlag_ThrowsArgumentException()
    {
        var spec = new NeighbourSpec(IPAddress.Parse("198.51.100.9"), V0) { Flags = NeighbourFlags.Offloaded };
        Assert.Throws<ArgumentException>(() => spec.Validate());
    }

    [Test]
    public void Add_EmptyMac_ThrowsArgumentException()
    {
        var spec = new NeighbourSpec(IPAddress.Parse("198.51.100.9"), V0) { LinkLayerAddress = PhysicalAddress.None };
        Assert.Throws<ArgumentException>(() => spec.Validate());
    }

    [TestCase("")]
    [TestCase("eth0/x")]
    [TestCase("a-name-longer-than-15")]
    [TestCase("has space")]
    public void Constructor_BadLinkName_ThrowsArgumentException(string name)
        => Assert.Throws<ArgumentException>(() => _ = new NeighbourSpec(IPAddress.Parse("198.51.100.9"), name));

    [Test]
    public void Constructor_UnspecifiedAddress_ThrowsArgumentException()
        => Assert.Throws<ArgumentException>(() => _ = new NeighbourSpec(IPAddress.Any, 3));

    [Test]
    public void Constructor_ZeroIndex_ThrowsArgumentOutOfRange()
        => Assert.Throws<ArgumentOutOfRangeException>(() => _ = new NeighbourSpec(IPAddress.Parse("198.51.100.9"), 0));

    [Test]
    public void Filter_BadLinkName_ThrowsArgumentException()
        => Assert.Throws<ArgumentException>(() => new NeighbourFilter { Link = "v0/x" }.Validate());

    private static NeighbourInfo ParseSingle(byte[] bytes)
    {
        NeighbourInfo? info = null;
        foreach (NetlinkMessage message in new NetlinkMessageEnumerator(bytes))
        {
            info = NeighbourInfo.Parse(message);
        }

        return info ?? throw new AssertionException("nothing parsed");
    }

    private static NeighbourInfo? ParseOne(byte[] bytes, ushort type)
    {
        foreach (NetlinkMessage message in new NetlinkMessageEnumerator(bytes))
        {
            return message.Type == type ? NeighbourInfo.Parse(message) : null;
        }

        return null;
    }
}
