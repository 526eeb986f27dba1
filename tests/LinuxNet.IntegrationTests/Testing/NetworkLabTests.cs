using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;
using LinuxNet.Testing;
using LinuxNet.Tun;

namespace LinuxNet.IntegrationTests.Testing;

/// <summary>
/// <see cref="NetworkLab"/> (the LinuxNet.Testing package) against the kernel, with <c>ip -j</c> as the oracle: what the
/// builder describes is there, traffic flows, and nothing is left once the lab is disposed, a step fails, or the
/// process that made a named lab died.
/// </summary>
[Category("Privileged")]
public class NetworkLabTests
{
    [SetUp]
    public void SetUp() => Privileged.RequireRoot();

    [Test]
    public void TwoNamespacesOverVeth_AddressesRoutesAndSysctls_AreThere_AndCarryTraffic()
    {
        using NetworkLab lab = new NetworkLabBuilder()
            .Namespace("a").Namespace("b")
            .Veth("a", "veth0", "b", "veth1")
            .Address("a", "veth0", "198.51.100.1/24")
            .Address("a", "veth0", "2001:db8:1::1/64")
            .Address("b", "veth1", "198.51.100.2/24")
            .Route("a", "203.0.113.0/24", gateway: "198.51.100.2")
            .Sysctl("b", "net.ipv4.ip_forward", "1")
            .Build();

        JsonElement a = IpOracle.Json(lab["a"].Namespace, "addr", "show", "dev", "veth0")[0];
        JsonElement route = IpOracle.Json(lab["a"].Namespace, "route", "show", "203.0.113.0/24")[0];
        string forwarding = IpOracle.Execute(lab["b"].Namespace, "cat", "/proc/sys/net/ipv4/ip_forward").Trim();
        string forwardingA = IpOracle.Execute(lab["a"].Namespace, "cat", "/proc/sys/net/ipv4/ip_forward").Trim();
        string dad = IpOracle.Execute(lab["a"].Namespace, "cat", "/proc/sys/net/ipv6/conf/veth0/accept_dad").Trim();

        using Socket receiver = lab["b"].Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        receiver.Bind(new IPEndPoint(IPAddress.Parse("198.51.100.2"), 0));
        receiver.ReceiveTimeout = 5000;
        using Socket sender = lab["a"].Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        sender.SendTo("hello"u8.ToArray(), receiver.LocalEndPoint!);
        byte[] buffer = new byte[16];
        int received = receiver.Receive(buffer);

        Assert.Multiple(() =>
        {
            Assert.That(a.GetProperty("operstate").GetString(), Is.EqualTo("UP"));
            Assert.That(a.GetProperty("addr_info").EnumerateArray().Select(i => $"{i.GetProperty("local").GetString()}/{i.GetProperty("prefixlen").GetInt32()}"),
                Is.SupersetOf(new[] { "198.51.100.1/24", "2001:db8:1::1/64" }));
            Assert.That(a.GetProperty("addr_info").EnumerateArray().Where(i => i.GetProperty("family").GetString() == "inet6" && i.GetProperty("scope").GetString() == "global")
                .Any(i => i.TryGetProperty("tentative", out _)), Is.False, "IPv6 addresses are usable at once (no DAD)");
            Assert.That(route.GetProperty("gateway").GetString(), Is.EqualTo("198.51.100.2"));
            Assert.That(forwarding, Is.EqualTo("1"), "the sysctl is set in b");
            Assert.That(forwardingA, Is.EqualTo("0"), "and only in b");
            Assert.That(dad, Is.EqualTo("0"));
            Assert.That(System.Text.Encoding.ASCII.GetString(buffer, 0, received), Is.EqualTo("hello"));
            Assert.That(lab["a"].GetIndex("veth0"), Is.EqualTo(IpOracle.Json(lab["a"].Namespace, "link", "show", "veth0")[0].GetProperty("ifindex").GetInt32()));
        });
    }

    [Test]
    public void Build_ReturnsOnlyOnceTheKernelRoutesEveryAddressAsLocal()
    {
        // IPv6 addresses added before the link is up get their local route only when IPv6 on the link is ready, some
        // time after the carrier: a lab that returned earlier dropped the first datagrams (seen as flaky IPv6 tests).
        for (int round = 0; round < 5; round++)
        {
            using NetworkLab lab = new NetworkLabBuilder()
                .Namespace("a").Namespace("b")
                .Veth("a", "va", "b", "vb")
                .Address("a", "va", "2001:db8:1::1/64").Address("b", "vb", "2001:db8:1::2/64")
                .Address("a", "va", "198.51.100.1/24").Address("b", "vb", "198.51.100.2/24")
                .Build();

            var pairs = new[] { ("a", "2001:db8:1::1"), ("b", "2001:db8:1::2"), ("a", "198.51.100.1"), ("b", "198.51.100.2") };
            // At once (a process start would give the kernel the time the lab must not need), then with ip as the oracle.
            var atOnce = pairs.Select(p => lab[p.Item1].Session.Routes.Get(IPAddress.Parse(p.Item2)).Type).ToArray();
            Assert.That(atOnce, Is.All.EqualTo(LinuxNet.Route.RouteType.Local), $"round {round}");
            foreach ((string ns, string address) in pairs)
            {
                JsonElement route = IpOracle.Json(lab[ns].Namespace, "route", "get", address)[0];
                Assert.That(route.GetProperty("type").GetString(), Is.EqualTo("local"), $"round {round}: {address} in {ns}");
            }
        }
    }

    [Test]
    public void BridgeWithPortsAndTapAndTun_ShowAsIpSeesThem_AndTheDevicesAreOpen()
    {
        using NetworkLab lab = new NetworkLabBuilder()
            .Namespace("host").Namespace("c1")
            .Veth("host", "h1", "c1", "eth0")
            .Tun("host", "tap0", new TunDeviceOptions { Mode = TunMode.Tap })
            .Tun("c1", "tun0")
            .Bridge("host", "br0", "h1", "tap0")
            .Address("host", "br0", "198.51.100.1/24")
            .Address("c1", "eth0", "198.51.100.10/24")
            .Build();

        JsonElement links = IpOracle.Json(lab["host"].Namespace, "link", "show");
        string? MasterOf(string name) => links.EnumerateArray().Single(l => l.GetProperty("ifname").GetString() == name).TryGetProperty("master", out JsonElement m) ? m.GetString() : null;
        JsonElement tun = IpOracle.Json(lab["c1"].Namespace, "-d", "link", "show", "tun0")[0];

        Assert.Multiple(() =>
        {
            Assert.That(MasterOf("h1"), Is.EqualTo("br0"));
            Assert.That(MasterOf("tap0"), Is.EqualTo("br0"));
            Assert.That(lab["host"].GetTun("tap0").Mode, Is.EqualTo(TunMode.Tap));
            Assert.That(tun.GetProperty("linkinfo").GetProperty("info_data").GetProperty("type").GetString(), Is.EqualTo("tun"));
            Assert.That(lab["c1"].Tuns.Keys, Is.EquivalentTo(new[] { "tun0" }));
            Assert.That(() => lab["c1"].GetTun("nope"), Throws.InstanceOf<KeyNotFoundException>());
        });
    }

    [Test]
    public void NamedNamespace_IsMountedWithTheRunPrefix_AndDeletedOnDispose()
    {
        NetworkLab lab = new NetworkLabBuilder().NamedNamespace("x").Veth("x", "v0", "x", "v1").Build();
        string mount = lab["x"].MountName!;
        bool existed = NetNamespace.Exists(mount);
        string ipNetnsExec = IpOracle.RunHere("netns", "exec", mount, "ip", "-br", "link", "show", "v0");

        lab.Dispose();

        Assert.Multiple(() =>
        {
            Assert.That(mount, Does.StartWith(NetworkLab.RunPrefix).And.EndWith("-x"));
            Assert.That(existed, Is.True);
            Assert.That(ipNetnsExec, Does.StartWith("v0@v1"), "ip netns exec enters it");
            Assert.That(NetNamespace.Exists(mount), Is.False, "deleted on dispose");
            Assert.That(File.Exists(Path.Combine(NetNamespace.RunDirectory, mount)), Is.False);
        });
        lab.Dispose(); // twice is fine
    }

    [Test]
    public void FailingStep_RemovesWhatWasMade_AndCarriesTheKernelsText()
    {
        var builder = new NetworkLabBuilder()
            .NamedNamespace("f")
            .Veth("f", "v0", "f", "v1")
            .Route("f", "203.0.113.0/24", gateway: "198.51.100.254"); // no route to that gateway: the kernel refuses

        string before = string.Join(",", Directory.GetFiles(NetNamespace.RunDirectory, NetworkLab.RunPrefix + "*"));
        var e = Assert.Throws<LinuxNet.Netlink.NetlinkException>(() => builder.Build())!;
        string after = string.Join(",", Directory.GetFiles(NetNamespace.RunDirectory, NetworkLab.RunPrefix + "*"));

        Assert.Multiple(() =>
        {
            Assert.That(e.Errno, Is.EqualTo(Errno.ENETUNREACH));
            Assert.That(e.Message, Does.Contain("RTM_NEWROUTE").Or.Contain("route"));
            Assert.That(after, Is.EqualTo(before), "the named namespace made before the failing step is gone");
        });
    }

    [Test]
    public void BadArguments_AreRefusedWhenGiven()
    {
        var builder = new NetworkLabBuilder().Namespace("a");
        Assert.Multiple(() =>
        {
            Assert.That(() => builder.Namespace("a"), Throws.ArgumentException.With.Message.Contains("already"));
            Assert.That(() => builder.Veth("a", "v0", "nope", "v1"), Throws.ArgumentException.With.Message.Contains("no namespace 'nope'"));
            Assert.That(() => builder.Veth("a", "sixteen-bytes-xx", "a", "v1"), Throws.ArgumentException.With.Message.Contains("15 bytes"));
            Assert.That(() => builder.Veth("a", "v0", "a", "v0"), Throws.ArgumentException);
            Assert.That(() => builder.Address("a", "v9", "198.51.100.1/24"), Throws.ArgumentException.With.Message.Contains("no link 'v9'"));
            Assert.That(() => builder.Address("a", "lo", "198.51.100.1/33"), Throws.ArgumentException);
            Assert.That(() => builder.Route("a", "203.0.113.0/24", gateway: "2001:db8::1"), Throws.ArgumentException.With.Message.Contains("families"));
            Assert.That(() => builder.Route("a", "203.0.113.0/24"), Throws.ArgumentException);
            Assert.That(() => builder.Sysctl("a", "kernel.panic", "1"), Throws.ArgumentException.With.Message.Contains("net."));
            Assert.That(() => builder.Sysctl("a", "net.ipv4/../../x", "1"), Throws.ArgumentException);
            Assert.That(() => builder.NamedNamespace("a/b"), Throws.ArgumentException);
            Assert.That(() => new NetworkLabBuilder().Build(), Throws.InvalidOperationException);
        });
    }

    [Test]
    public void SweepLeftovers_DeletesTheNamedNamespaceOfAProcessThatDied_AndKeepsLiveOnes()
    {
        // A real process that "made" a named lab and then was killed: its mount stays behind until a sweep.
        using Process victim = Process.Start(new ProcessStartInfo("sleep", "600") { UseShellExecute = false })!;
        string start = File.ReadAllText($"/proc/{victim.Id}/stat").Split(')')[1].Trim().Split(' ')[19];
        string dead = $"{NetworkLab.NamePrefix}{victim.Id}-{start}-1-crashed";
        using (NetNamespace.Create(dead))
        {
        }

        using NetworkLab live = new NetworkLabBuilder().NamedNamespace("live").Build();
        victim.Kill();
        victim.WaitForExit(5000);
        try
        {
            int deleted = NetworkLab.SweepLeftovers();
            Assert.Multiple(() =>
            {
                Assert.That(deleted, Is.GreaterThanOrEqualTo(1));
                Assert.That(NetNamespace.Exists(dead), Is.False, "the dead run's namespace is swept");
                Assert.That(NetNamespace.Exists(live["live"].MountName!), Is.True, "this run's is kept");
            });
        }
        finally
        {
            if (NetNamespace.Exists(dead))
            {
                NetNamespace.Delete(dead);
            }
        }
    }

    [Test]
    public void ParallelLabs_NeverCollide()
    {
        var labs = new NetworkLab[8];
        try
        {
            Parallel.For(0, labs.Length, i => labs[i] = new NetworkLabBuilder()
                .NamedNamespace("p").Namespace("q")
                .Veth("p", "veth0", "q", "veth0")
                .Address("p", "veth0", "198.51.100.1/24")
                .Build());

            Assert.That(labs.Select(l => l["p"].MountName).Distinct().Count(), Is.EqualTo(labs.Length));
            Assert.That(labs.Select(l => l["q"].Namespace.Inode).Distinct().Count(), Is.EqualTo(labs.Length));
        }
        finally
        {
            foreach (NetworkLab? lab in labs)
            {
                lab?.Dispose();
            }
        }
    }
}
