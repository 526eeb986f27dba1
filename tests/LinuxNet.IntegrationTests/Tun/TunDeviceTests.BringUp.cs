using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;
using LinuxNet.Netlink;
using LinuxNet.Route;
using LinuxNet.Tun;

namespace LinuxNet.IntegrationTests.Tun;

// TunDevice.BringUp and OpenNetNamespace, checked with ip -j and with traffic.
public partial class TunDeviceTests
{
    [Test]
    public void BringUp_AddressesAndMtu_ShownByIpAndTrafficFlows()
    {
        using TunDevice tun = TunDevice.Create(new TunDeviceOptions { Name = "lnt0" }, _lab);

        tun.BringUp([IPPrefix.Parse("198.51.100.1/24"), IPPrefix.Parse("2001:db8::1/64")], mtu: 1400);

        JsonElement link = IpOracle.Json(_lab, "addr", "show", "dev", "lnt0")[0];
        string[] addresses = link.GetProperty("addr_info").EnumerateArray()
            .Select(a => $"{a.GetProperty("local").GetString()}/{a.GetProperty("prefixlen").GetInt32()}").ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(link.GetProperty("flags").EnumerateArray().Select(f => f.GetString()), Does.Contain("UP"));
            Assert.That(link.GetProperty("mtu").GetInt32(), Is.EqualTo(1400));
            Assert.That(addresses, Is.SupersetOf(new[] { "198.51.100.1/24", "2001:db8::1/64" }));
            Assert.That(
                link.GetProperty("addr_info").EnumerateArray().Single(a => a.GetProperty("local").GetString() == "2001:db8::1").TryGetProperty("tentative", out _),
                Is.False,
                "a TUN device does no duplicate address detection: its IPv6 address is usable at once (as BringUp documents)");
        });

        // The same through LinuxNet's own link API.
        using (LinkManager links = LinkManager.Open(_lab))
        {
            LinkInfo info = links.TryGet("lnt0")!;
            Assert.That(info.Mtu, Is.EqualTo(1400));
            Assert.That(links.Session.Addresses.List("lnt0").Select(a => a.Address),
                Is.SupersetOf(new[] { IPPrefix.Parse("198.51.100.1/24"), IPPrefix.Parse("2001:db8::1/64") }));
        }

        // Up with a route: a datagram towards the prefix comes out of the device at once.
        using Socket socket = _lab.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        socket.SendTo(new byte[10], new IPEndPoint(IPAddress.Parse("198.51.100.2"), 5555));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        byte[] buffer = new byte[tun.MaxFrameSize];
        while (true)
        {
            int n = tun.ReadFrame(buffer, timeout.Token);
            if (Packets.IsIpv4(buffer.AsSpan(0, n), Packets.Udp) && BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(22)) == 5555)
            {
                break;
            }
        }
    }

    [Test]
    public void BringUp_KernelRefusesAnAddress_NothingLeftBehind()
    {
        using TunDevice tun = TunDevice.Create(new TunDeviceOptions { Name = "lnt0" }, _lab);
        IpOracle.Run(_lab, "addr", "add", "2001:db8::5/64", "dev", "lnt0");

        Assert.That(
            () => tun.BringUp([IPPrefix.Parse("198.51.100.1/24"), IPPrefix.Parse("203.0.113.1/24"), IPPrefix.Parse("2001:db8::5/64")], mtu: 1400),
            Throws.InstanceOf<NetlinkException>().With.Property(nameof(LinuxNetException.IsAlreadyExists)).True);

        JsonElement link = IpOracle.Json(_lab, "addr", "show", "dev", "lnt0")[0];
        string?[] addresses = link.GetProperty("addr_info").EnumerateArray().Select(a => a.GetProperty("local").GetString()).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(addresses, Does.Not.Contain("198.51.100.1").And.Not.Contain("203.0.113.1"), "the addresses added before the refusal are deleted");
            Assert.That(addresses, Does.Contain("2001:db8::5"), "what was there before stays");
            Assert.That(link.GetProperty("mtu").GetInt32(), Is.EqualTo(1500), "the MTU is put back");
            Assert.That(link.GetProperty("flags").EnumerateArray().Select(f => f.GetString()), Does.Not.Contain("UP"));
        });
    }

    [Test]
    public void BringUp_BadInput_ThrowsBeforeAnythingChanges()
    {
        using TunDevice tun = TunDevice.Create(new TunDeviceOptions { Name = "lnt0" }, _lab);
        IPPrefix v4 = IPPrefix.Parse("198.51.100.1/24");
        Assert.Multiple(() =>
        {
            Assert.That(() => tun.BringUp(null!), Throws.ArgumentNullException);
            Assert.That(() => tun.BringUp([v4], mtu: 67), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => tun.BringUp([v4], mtu: 65536), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => tun.BringUp([v4], mtu: -1), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => tun.BringUp([v4, IPPrefix.Parse("198.51.100.1/32")]), Throws.ArgumentException.With.Message.Contains("twice"));
            Assert.That(() => tun.BringUp([IPPrefix.Parse("0.0.0.0/0")]), Throws.ArgumentException.With.Message.Contains("unspecified"));
            Assert.That(() => tun.BringUp([IPPrefix.Parse("::/0")]), Throws.ArgumentException.With.Message.Contains("unspecified"));
            Assert.That(() => tun.BringUp([v4, IPPrefix.Parse("2001:db8::1/64")], mtu: 1000), Throws.ArgumentException.With.Message.Contains("1280"));
        });

        JsonElement link = IpOracle.Json(_lab, "addr", "show", "dev", "lnt0")[0];
        Assert.Multiple(() =>
        {
            Assert.That(link.GetProperty("addr_info").GetArrayLength(), Is.Zero);
            Assert.That(link.GetProperty("mtu").GetInt32(), Is.EqualTo(1500));
            Assert.That(link.GetProperty("flags").EnumerateArray().Select(f => f.GetString()), Does.Not.Contain("UP"));
        });

        tun.Dispose();
        Assert.That(() => tun.BringUp([v4]), Throws.InstanceOf<ObjectDisposedException>());
    }

    [Test]
    public void OpenNetNamespace_DeviceMovedAndRenamed_FollowsIt()
    {
        using NetNamespace other = NetNamespace.CreateAnonymous();
        using TunDevice tun = TunDevice.Create(new TunDeviceOptions { Name = "lnt0" }, _lab);
        using (NetNamespace before = tun.OpenNetNamespace())
        {
            Assert.That(before, Is.EqualTo(_lab));
        }

        using (LinkManager links = LinkManager.Open(_lab))
        {
            links.SetNamespace("lnt0", other);
        }

        IpOracle.Run(other, "link", "set", "dev", "lnt0", "name", "lnt7");
        using (NetNamespace after = tun.OpenNetNamespace())
        {
            Assert.That(after, Is.EqualTo(other));
            Assert.That(after, Is.Not.EqualTo(_lab));
        }

        // BringUp works where the device is now, under its new name.
        tun.BringUp([IPPrefix.Parse("203.0.113.1/24")]);
        JsonElement link = IpOracle.Json(other, "addr", "show", "dev", "lnt7")[0];
        Assert.Multiple(() =>
        {
            Assert.That(link.GetProperty("addr_info")[0].GetProperty("local").GetString(), Is.EqualTo("203.0.113.1"));
            Assert.That(link.GetProperty("flags").EnumerateArray().Select(f => f.GetString()), Does.Contain("UP"));
        });
    }
}
