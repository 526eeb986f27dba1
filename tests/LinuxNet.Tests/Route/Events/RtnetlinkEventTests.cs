using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using LinuxNet.Netlink;
using LinuxNet.Route;
using LinuxNet.Tests.Infrastructure;

namespace LinuxNet.Tests.Route.Events;

[TestFixture]
public class RtnetlinkEventTests
{
    [TestCase("link-set-up", RtnetlinkEventKind.Link, RtnetlinkEventAction.Changed)]
    [TestCase("link-del", RtnetlinkEventKind.Link, RtnetlinkEventAction.Deleted)]
    [TestCase("addr-add-ipv6", RtnetlinkEventKind.Address, RtnetlinkEventAction.New)]
    [TestCase("addr-del-ipv4", RtnetlinkEventKind.Address, RtnetlinkEventAction.Deleted)]
    [TestCase("route-add-ipv6-via", RtnetlinkEventKind.Route, RtnetlinkEventAction.New)]
    [TestCase("route-del-ipv4-via", RtnetlinkEventKind.Route, RtnetlinkEventAction.Deleted)]
    [TestCase("neigh-add", RtnetlinkEventKind.Neighbour, RtnetlinkEventAction.New)]
    [TestCase("neigh-del", RtnetlinkEventKind.Neighbour, RtnetlinkEventAction.Deleted)]
    [TestCase("rule-add-from", RtnetlinkEventKind.Rule, RtnetlinkEventAction.New)]
    [TestCase("rule-del", RtnetlinkEventKind.Rule, RtnetlinkEventAction.Deleted)]
    public void TryClassify_KernelMessageTypes_GivesKindAndAction(string capture, RtnetlinkEventKind kind, RtnetlinkEventAction action)
    {
        RtnetlinkEvent e = FromCapture(capture);
        Assert.Multiple(() =>
        {
            Assert.That(e.Kind, Is.EqualTo(kind));
            Assert.That(e.Action, Is.EqualTo(action));
            Assert.That(e.IsOverrun, Is.False);
        });
    }

    [Test]
    public void TryClassify_DumpRequestOrDone_IsNotAnEvent()
    {
        byte[] dump = Iproute2Capture.Load("rule-dump-ipv6");
        NetlinkHeader header = MemoryMarshal.Read<NetlinkHeader>(dump);
        Assert.That(RtnetlinkEvent.TryClassify(header, dump.AsSpan(16), out _, out _), Is.False);
    }

    [Test]
    public void AddressAccessors_Ipv6Add_ReadAddressLengthAndIndex()
    {
        RtnetlinkEvent e = FromCapture("addr-add-ipv6");
        Assert.Multiple(() =>
        {
            Assert.That(e.GetAddress(), Is.EqualTo(IPAddress.Parse("2001:db8::7")));
            Assert.That(e.AddressPrefixLength, Is.EqualTo(64));
            Assert.That(e.LinkIndex, Is.EqualTo(3));
            Assert.That(e.Family, Is.EqualTo(AddressFamily.InterNetworkV6));
            Assert.That(e.IsTentative, Is.False);
        });
    }

    [Test]
    public void RouteAccessors_Ipv6Add_ReadDestinationTableAndDevice()
    {
        RtnetlinkEvent e = FromCapture("route-add-ipv6-via");
        Assert.Multiple(() =>
        {
            Assert.That(e.GetRouteDestination(), Is.EqualTo(IPAddress.Parse("2001:db8:1::")));
            Assert.That(e.RoutePrefixLength, Is.EqualTo(64));
            Assert.That(e.RouteTable, Is.EqualTo(254u));
            Assert.That(e.LinkIndex, Is.EqualTo(3));
        });
    }

    [Test]
    public void Materializers_MatchingKinds_ParseObjects()
    {
        Assert.Multiple(() =>
        {
            Assert.That(FromCapture("neigh-add").ToNeighbour().Address, Is.EqualTo(IPAddress.Parse("198.51.100.9")));
            Assert.That(FromCapture("rule-add-table-1000").ToRule().Table, Is.EqualTo(1000u));
            Assert.That(FromCapture("link-add-bridge").ToLink().Name, Is.EqualTo("br0"));
        });
    }

    [Test]
    public void Accessors_WrongKind_ThrowInvalidOperation()
    {
        RtnetlinkEvent e = FromCapture("neigh-add");
        Assert.Multiple(() =>
        {
            Assert.Throws<InvalidOperationException>(() => e.ToRule());
            Assert.Throws<InvalidOperationException>(() => e.GetAddress());
            Assert.Throws<InvalidOperationException>(() => _ = e.RouteTable);
        });
    }

    private static RtnetlinkEvent FromCapture(string name)
    {
        byte[] bytes = Iproute2Capture.Load(name);
        NetlinkHeader header = MemoryMarshal.Read<NetlinkHeader>(bytes);
        Assert.That(RtnetlinkEvent.TryClassify(header, bytes.AsSpan(16, (int)header.Length - 16), out RtnetlinkEventKind kind, out RtnetlinkEventAction action), Is.True);
        return new RtnetlinkEvent(kind, action, bytes, 0, (int)header.Length);
    }
}
