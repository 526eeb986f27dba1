using System.Net;
using System.Net.NetworkInformation;
using LinuxNet.Route;
using LinuxNet.Tests.Infrastructure;
using LinuxNet.Tests.Route.Shared;

namespace LinuxNet.Tests.Route.Batches;

/// <summary>
/// For every object kind, the message a batch sends is byte for byte the one the single verb sends (sequence number
/// and port id masked): both are recorded by a fake kernel at the other end of the manager's socket. Where iproute2
/// has a capture of the same command, the single verb's bytes are compared with it too, so the shared encoder is
/// checked against the tool through the path users call.
/// </summary>
public class BatchBytesTests
{
    private const int V0 = 3;

    private static readonly AddressSpec Address6 = new(V0, IPPrefix.Parse("2001:db8::7/64"));
    private static readonly AddressSpec Address4 = new(V0, IPPrefix.Parse("198.51.100.7/24"));
    private static readonly AddressSpec Replace6 = new(V0, IPPrefix.Parse("2001:db8::1/64")) { Flags = AddressFlags.NoDad };
    private static readonly RouteSpec Route6Via = new(IPPrefix.Parse("2001:db8:1::/64")) { Gateway = IPAddress.Parse("2001:db8::1"), Link = V0 };
    private static readonly RouteSpec Route4Default = new(IPPrefix.Parse("0.0.0.0/0")) { Gateway = IPAddress.Parse("198.51.100.254") };
    private static readonly RouteSpec Route4Replace = new(IPPrefix.Parse("203.0.113.0/25")) { Link = V0, Table = 100, Scope = RouteScope.Link };
    private static readonly RouteSpec Route6Delete = new(IPPrefix.Parse("2001:db8:2::/64"));
    private static readonly RouteSpec Route6DefaultDev = new(IPPrefix.Parse("::/0")) { Link = V0 };
    private static readonly RouteSpec Route4DevOnly = new(IPPrefix.Parse("203.0.113.0/24")) { Link = V0, Metric = 100 };
    private static readonly NeighbourSpec Neighbour = new(IPAddress.Parse("198.51.100.9"), V0) { LinkLayerAddress = PhysicalAddress.Parse("02-00-00-00-00-09") };
    private static readonly NeighbourSpec NeighbourReplace = new(IPAddress.Parse("198.51.100.10"), V0) { LinkLayerAddress = PhysicalAddress.Parse("02-00-00-00-00-0a"), State = NeighbourStates.Reachable };
    private static readonly NeighbourSpec NeighbourDelete = new(IPAddress.Parse("198.51.100.10"), V0);
    private static readonly RuleSpec Rule = new() { Source = IPPrefix.Parse("198.51.100.0/24"), Table = 100, Priority = 1000 };
    private static readonly NexthopSpec Nexthop = new(1) { Gateway = IPAddress.Parse("198.51.100.2"), Link = V0 };
    private static readonly NexthopSpec NexthopReplace = new(1) { Gateway = IPAddress.Parse("198.51.100.4"), Link = V0 };
    private static readonly NexthopSpec NexthopGroup = new(10) { Group = { new NexthopGroupMember(1, 3), new NexthopGroupMember(4) } };
    private static readonly FdbSpec FdbMaster = new(PhysicalAddress.Parse("02-00-00-00-00-01"), 6) { Flags = FdbFlags.Master };
    private static readonly FdbSpec FdbMasterStatic = new(PhysicalAddress.Parse("02-00-00-00-00-01"), 6) { Flags = FdbFlags.Master, State = FdbEntryState.Static };
    private static readonly FdbSpec FdbVxlan = new(PhysicalAddress.Parse("00-00-00-00-00-00"), 7) { Destination = IPAddress.Parse("203.0.113.7") };

    public static IEnumerable<TestCaseData> Cases() => All().Select(c => new TestCaseData(c).SetName("Batch_SendsTheSingleRequestsBytes(" + c.Name + ")"));

    [TestCaseSource(nameof(Cases))]
    public void Batch_SendsTheSingleRequestsBytes(Case c)
    {
        using var kernel = new RecordingKernel();
        c.Single(kernel.Manager);
        List<byte[]> single = kernel.Take();

        using (RtnetlinkBatch batch = kernel.Manager.Session.CreateBatch())
        {
            c.Batched(batch);
            Assert.That(batch.Execute().AllSucceeded, Is.True, "the fake kernel acknowledges everything");
        }

        List<byte[]> batched = kernel.Take();
        Assert.Multiple(() =>
        {
            Assert.That(single, Has.Count.EqualTo(1), "the single verb sends one message");
            Assert.That(batched, Has.Count.EqualTo(1), "the batch sends one message");
        });
        Assert.That(Iproute2Capture.Hex(Iproute2Capture.Mask(batched[0])), Is.EqualTo(Iproute2Capture.Hex(Iproute2Capture.Mask(single[0]))));
        if (c.Capture is { } capture)
        {
            Iproute2Capture.AssertMatches(capture, single[0]);
        }
    }

    [Test]
    public void Batch_EveryKindInOneBatch_SendsTheSingleRequestsInOrder()
    {
        using var kernel = new RecordingKernel();
        List<Case> cases = All().ToList();
        foreach (Case c in cases)
        {
            c.Single(kernel.Manager);
        }

        List<byte[]> single = kernel.Take();
        using (RtnetlinkBatch batch = kernel.Manager.Session.CreateBatch())
        {
            foreach (Case c in cases)
            {
                c.Batched(batch);
            }

            Assert.That(batch.Execute().AllSucceeded, Is.True);
        }

        List<byte[]> batched = kernel.Take();
        Assert.That(single, Has.Count.EqualTo(cases.Count));
        Assert.That(batched.Select(m => Iproute2Capture.Hex(Iproute2Capture.Mask(m))), Is.EqualTo(single.Select(m => Iproute2Capture.Hex(Iproute2Capture.Mask(m)))));
    }

    [Test]
    public async Task SyncAndAsync_SendTheSameBytes()
    {
        using var kernel = new RecordingKernel();
        kernel.Manager.Session.Routes.Add(Route6Via);
        kernel.Manager.Session.Addresses.Add(Address6);
        kernel.Manager.Session.Rules.Add(Rule);
        kernel.Manager.SetUp(V0);
        List<byte[]> sync = kernel.Take();
        await kernel.Manager.Session.Routes.AddAsync(Route6Via);
        await kernel.Manager.Session.Addresses.AddAsync(Address6);
        await kernel.Manager.Session.Rules.AddAsync(Rule);
        await kernel.Manager.SetUpAsync(V0);
        List<byte[]> asynchronous = kernel.Take();
        Assert.That(asynchronous.Select(m => Iproute2Capture.Hex(Iproute2Capture.Mask(m))), Is.EqualTo(sync.Select(m => Iproute2Capture.Hex(Iproute2Capture.Mask(m)))));
    }

    [Test]
    public void Change_EveryChangeAtOnce_SendsOneChangeMatchingIproute2()
    {
        using var kernel = new RecordingKernel();
        kernel.Manager.Change(V0, new LinkChanges
        {
            Mtu = 1400,
            Address = PhysicalAddress.Parse("02-00-00-00-00-42"),
            Name = "d9",
            TransmitQueueLength = 500,
            Alias = "uplink",
            Promiscuous = true,
            Up = true,
        });
        // A read of the link's state (to put it back if the kernel refuses part of the change), then the one change.
        List<byte[]> sent = kernel.Take();
        Assert.That(sent, Has.Count.EqualTo(2));
        Assert.That(BitConverter.ToUInt16(sent[0], 4), Is.EqualTo(18), "RTM_GETLINK first");
        Iproute2Capture.AssertMatches("link-set-many", sent[1]);
    }

    [Test]
    public void Change_Nothing_ThrowsBeforeSending()
    {
        using var kernel = new RecordingKernel();
        Assert.Throws<ArgumentException>(() => kernel.Manager.Change(V0, new LinkChanges()));
        Assert.Throws<ArgumentOutOfRangeException>(() => kernel.Manager.Change(V0, new LinkChanges { Up = true, Mtu = 10 }));
        Assert.That(kernel.Take(), Is.Empty, "nothing is sent");
    }

    [Test]
    public void RawRoute_TableZero_IsRefusedLikeRouteSpec()
    {
        using var kernel = new RecordingKernel();
        using RtnetlinkBatch batch = kernel.Manager.Session.CreateBatch();
        Assert.Throws<ArgumentException>(() => batch.AddRoute(new IPPrefix(IPAddress.Parse("203.0.113.0"), 24), V0, table: 0));
        Assert.Throws<ArgumentException>(() => kernel.Manager.Session.Routes.Add(new RouteSpec(IPPrefix.Parse("203.0.113.0/24")) { Link = V0, Table = 0 }));
        Assert.That(kernel.Take(), Is.Empty, "nothing is sent");
    }

    private static IEnumerable<Case> All()
    {
        yield return new("link up", "link-set-up", m => m.SetUp(V0), b => b.SetLinkUp(V0));
        yield return new("link down", "link-set-down", m => m.SetDown(V0), b => b.SetLinkDown(V0));
        yield return new("link delete", "link-del", m => m.Delete(V0), b => b.DeleteLink(V0));
        yield return new("address add", "addr-add-ipv6", m => m.Session.Addresses.Add(Address6), b => b.AddAddress(Address6));
        yield return new("address add, raw arguments", "addr-add-ipv6", m => m.Session.Addresses.Add(Address6), b => b.AddAddress(V0, new IPPrefix(IPAddress.Parse("2001:db8::7"), 64)));
        yield return new("address replace", "addr-replace-ipv6", m => m.Session.Addresses.Replace(Replace6), b => b.ReplaceAddress(Replace6));
        yield return new("address delete", "addr-del-ipv4", m => m.Session.Addresses.Delete(Address4), b => b.DeleteAddress(Address4));
        yield return new("address delete, raw arguments", "addr-del-ipv4", m => m.Session.Addresses.Delete(Address4), b => b.DeleteAddress(V0, new IPPrefix(IPAddress.Parse("198.51.100.7"), 24)));
        yield return new("route add", "route-add-ipv6-via", m => m.Session.Routes.Add(Route6Via), b => b.AddRoute(Route6Via));
        yield return new("route add, raw arguments", "route-add-ipv6-via", m => m.Session.Routes.Add(Route6Via), b => b.AddRoute(new IPPrefix(IPAddress.Parse("2001:db8:1::"), 64), V0, IPAddress.Parse("2001:db8::1")));
        yield return new("route add default, raw arguments", "route-add-default", m => m.Session.Routes.Add(Route4Default), b => b.AddRoute(new IPPrefix(IPAddress.Any, 0), null, IPAddress.Parse("198.51.100.254")));
        yield return new("route replace", "route-replace-ipv4", m => m.Session.Routes.Replace(Route4Replace), b => b.ReplaceRoute(Route4Replace));
        yield return new("route delete, raw arguments", "route-del-ipv6", m => m.Session.Routes.Delete(Route6Delete), b => b.DeleteRoute(new IPPrefix(IPAddress.Parse("2001:db8:2::"), 64)));

        // The disagreements issue 11 found: a batched IPv6 route without a gateway carried RTA_DST for /0 and scope
        // LINK; raw batch arguments took their own encoder. Both now come from RouteMessages.WriteModify.
        yield return new("route add IPv6 default via device, raw arguments", null, m => m.Session.Routes.Add(Route6DefaultDev), b => b.AddRoute(new IPPrefix(IPAddress.IPv6Any, 0), V0));
        yield return new("route add IPv4 via device with metric, raw arguments", null, m => m.Session.Routes.Add(Route4DevOnly), b => b.AddRoute(new IPPrefix(IPAddress.Parse("203.0.113.0"), 24), V0, metric: 100));
        yield return new("neighbour add", "neigh-add", m => m.Session.Neighbours.Add(Neighbour), b => b.AddNeighbour(Neighbour));
        yield return new("neighbour replace", "neigh-replace", m => m.Session.Neighbours.Replace(NeighbourReplace), b => b.ReplaceNeighbour(NeighbourReplace));
        yield return new("neighbour delete", "neigh-del", m => m.Session.Neighbours.Delete(NeighbourDelete), b => b.DeleteNeighbour(NeighbourDelete));
        yield return new("rule add", "rule-add-from", m => m.Session.Rules.Add(Rule), b => b.AddRule(Rule));
        yield return new("rule delete", "rule-del", m => m.Session.Rules.Delete(Rule), b => b.DeleteRule(Rule));
        yield return new("nexthop add", "nexthop-add-via-v4", m => m.Session.Nexthops.Add(Nexthop), b => b.AddNexthop(Nexthop));
        yield return new("nexthop add group", "nexthop-add-group", m => m.Session.Nexthops.Add(NexthopGroup), b => b.AddNexthop(NexthopGroup));
        yield return new("nexthop replace", "nexthop-replace", m => m.Session.Nexthops.Replace(NexthopReplace), b => b.ReplaceNexthop(NexthopReplace));
        yield return new("nexthop delete", "nexthop-del", m => m.Session.Nexthops.Delete(11), b => b.DeleteNexthop(11));
        yield return new("fdb add", "fdb-add-master", m => m.Session.Fdb.Add(FdbMaster), b => b.AddFdb(FdbMaster));
        yield return new("fdb append", "fdb-append-vxlan", m => m.Session.Fdb.Append(FdbVxlan), b => b.AppendFdb(FdbVxlan));
        yield return new("fdb replace", "fdb-replace-master", m => m.Session.Fdb.Replace(FdbMasterStatic), b => b.ReplaceFdb(FdbMasterStatic));
        yield return new("fdb delete", "fdb-del-master", m => m.Session.Fdb.Delete(FdbMaster), b => b.DeleteFdb(FdbMaster));
    }

    /// <summary>One request kind: the single verb, the batch call that must send the same bytes, and iproute2's capture if any.</summary>
    public sealed record Case(string Name, string? Capture, Action<LinkManager> Single, Action<RtnetlinkBatch> Batched)
    {
        public override string ToString() => Name;
    }
}
