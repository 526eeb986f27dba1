using System.Net;
using System.Net.Sockets;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;
using LinuxNet.Route;

namespace LinuxNet.IntegrationTests.Route.Routes;

/// <summary>
/// A seg6 route made by LinuxNet really encapsulates: a UDP datagram to the route's prefix leaves v0 in an outer IPv6
/// header with a segment routing header, seen by a packet socket in the same fresh namespace (bounded: 2 s, 200 frames).
/// </summary>
[Category("Privileged")]
public class Seg6DatapathTests
{
    private NetNamespace _ns = null!;
    private RtnetlinkSession _rt = null!;

    [SetUp]
    public void SetUp()
    {
        Privileged.RequireRoot();
        _ns = NetNamespace.CreateAnonymous();
        _rt = RtnetlinkSession.Open(_ns);
        IpOracle.Run(_ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1");
        IpOracle.Run(_ns, "link", "set", "v0", "up");
        IpOracle.Run(_ns, "link", "set", "v1", "up");
        IpOracle.Run(_ns, "addr", "add", "2001:db8::2/64", "dev", "v0", "nodad");
    }

    [TearDown]
    public void TearDown()
    {
        _rt?.Dispose();
        _ns?.Dispose();
    }

    [Test]
    public void Seg6EncapRoute_DatagramLeavesWithSegmentRoutingHeader()
    {
        IPAddress segment = IPAddress.Parse("2001:db8::a");
        IPAddress target = IPAddress.Parse("2001:db8:6::1");
        string mac = IpOracle.Json(_ns, "link", "show", "dev", "v1")[0].GetProperty("address").GetString()!;

        // The first segment is on v0's link; a permanent neighbour entry spares the wait for NDP.
        IpOracle.Run(_ns, "-6", "neigh", "add", segment.ToString(), "lladdr", mac, "dev", "v0", "nud", "permanent");
        _rt.Routes.Add(new RouteSpec(IPPrefix.Parse("2001:db8:6::/64")) { Encapsulation = new Seg6Encapsulation(Seg6Mode.Encap, segment), Link = "v0" });

        using Socket capture = _ns.Run(() => new Socket(AddressFamily.Packet, SocketType.Raw, (ProtocolType)0xDD86 /* htons(ETH_P_IPV6) */));
        capture.ReceiveTimeout = 2000;
        using Socket udp = _ns.Run(() => new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp));
        udp.SendTo("seg6"u8.ToArray(), new IPEndPoint(target, 9));

        var frame = new byte[2048];
        DateTime end = DateTime.UtcNow + TimeSpan.FromSeconds(2);
        for (int frames = 0; frames < 200 && DateTime.UtcNow < end; frames++)
        {
            int length;
            try
            {
                length = capture.Receive(frame);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
            {
                break;
            }

            // Ethernet (14) + IPv6 (40): next header 43 (routing) to the first segment.
            if (length < 14 + 40 + 8 + 16 + 40 || frame[14 + 6] != 43 || !new IPAddress(frame.AsSpan(14 + 24, 16)).Equals(segment))
            {
                continue;
            }

            byte[] srh = frame[(14 + 40)..length];
            Assert.Multiple(() =>
            {
                Assert.That(srh[0], Is.EqualTo(41), "next header: the encapsulated IPv6 packet");
                Assert.That(srh[2], Is.EqualTo(4), "routing type 4: segment routing");
                Assert.That(new IPAddress(srh.AsSpan(8, 16)), Is.EqualTo(segment), "segment list");
                Assert.That(new IPAddress(srh.AsSpan(8 + 16 + 24, 16)), Is.EqualTo(target), "the inner packet's destination");
            });
            return;
        }

        Assert.Fail("no frame with a segment routing header to 2001:db8::a left v0 within 2 s");
    }
}
