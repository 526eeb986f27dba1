using System.Net;
using System.Text.Json;
using LinuxNet.Genl.Mptcp;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Netlink;

namespace LinuxNet.IntegrationTests.Genl.Mptcp;

/// <summary>The MPTCP path manager in a fresh namespace, with <c>ip -j mptcp</c> as the oracle both ways.</summary>
[TestFixture]
[Category("Privileged")]
public class MptcpManagerTests
{
    private GenlLab _lab = null!;

    private MptcpManager Mptcp => _lab.Session.Mptcp;

    [SetUp]
    public void SetUp()
    {
        Privileged.RequireRoot();
        _lab = GenlLab.Create();
    }

    [TearDown]
    public void TearDown() => _lab?.Dispose();

    [Test]
    public void AddEndpoint_EveryFlagAndDevice_IpShowsTheSame()
    {
        Mptcp.AddEndpoint(new MptcpEndpointSpec(IPAddress.Parse("198.51.100.1")) { Id = 5, Link = "v0", Flags = MptcpEndpointFlags.Signal | MptcpEndpointFlags.Backup });
        Mptcp.AddEndpoint(new MptcpEndpointSpec(IPAddress.Parse("2001:db8::1")) { Id = 6, Flags = MptcpEndpointFlags.Subflow | MptcpEndpointFlags.Fullmesh });
        Mptcp.AddEndpoint(new MptcpEndpointSpec(IPAddress.Parse("203.0.113.9")) { Port = 4242, Flags = MptcpEndpointFlags.Signal });

        JsonElement ip = _lab.IpJson("mptcp", "endpoint", "show");
        Assert.That(ip.GetArrayLength(), Is.EqualTo(3));
        CompareWithIp(Mptcp.ListEndpoints(), ip);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ip[0].GetProperty("dev").GetString(), Is.EqualTo("v0"));
            Assert.That(ip[2].GetProperty("port").GetInt32(), Is.EqualTo(4242));
            Assert.That(ip[2].GetProperty("id").GetInt32(), Is.EqualTo(7), "the kernel chose the next free id");
        }
    }

    [Test]
    public async Task ListEndpointsAsync_EndpointsMadeByIp_MatchIp()
    {
        _lab.Ip("mptcp", "endpoint", "add", "198.51.100.2", "id", "9", "dev", "v1", "subflow", "backup");
        _lab.Ip("mptcp", "endpoint", "add", "2001:db8::2", "id", "200", "signal");

        IReadOnlyList<MptcpEndpoint> endpoints = await Mptcp.ListEndpointsAsync();
        CompareWithIp(endpoints, _lab.IpJson("mptcp", "endpoint", "show"));
        Assert.That(endpoints[0].InterfaceIndex, Is.EqualTo(_lab.Index("v1")));
    }

    [Test]
    public async Task DeleteAndFlush_IpShowsThemGone()
    {
        _lab.Ip("mptcp", "endpoint", "add", "198.51.100.3", "id", "3", "signal");
        _lab.Ip("mptcp", "endpoint", "add", "198.51.100.4", "id", "4", "signal");
        _lab.Ip("mptcp", "endpoint", "add", "198.51.100.5", "id", "5", "signal");

        await Mptcp.DeleteEndpointAsync(4);
        Assert.That(_lab.IpJson("mptcp", "endpoint", "show").EnumerateArray().Select(e => e.GetProperty("id").GetInt32()), Is.EqualTo(new[] { 3, 5 }));

        Mptcp.FlushEndpoints();
        Assert.That(_lab.IpJson("mptcp", "endpoint", "show").GetArrayLength(), Is.Zero);
        Assert.That(Mptcp.ListEndpoints(), Is.Empty);
    }

    [Test]
    public void DeleteEndpoint_Missing_ThrowsWithTheKernelsText()
    {
        NetlinkException e = Assert.Throws<NetlinkException>(() => Mptcp.DeleteEndpoint(77))!;
        Assert.That(e.ExtendedAckMessage, Is.EqualTo("address not found"));
    }

    [TestCase(0)]
    [TestCase(256)]
    [TestCase(-1)]
    public void EndpointId_OutOfRange_RefusedBeforeAnySyscall(int id)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => Mptcp.DeleteEndpoint(id));
            Assert.Throws<ArgumentOutOfRangeException>(() => Mptcp.AddEndpoint(new MptcpEndpointSpec(IPAddress.Parse("198.51.100.1")) { Id = id }));
        }

        Assert.That(Mptcp.ListEndpoints(), Is.Empty);
    }

    [Test]
    public void AddEndpoint_BadSpec_RefusedBeforeAnySyscall()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.Throws<ArgumentException>(() => Mptcp.AddEndpoint(new MptcpEndpointSpec(IPAddress.Any)));
            Assert.Throws<ArgumentException>(() => Mptcp.AddEndpoint(new MptcpEndpointSpec(IPAddress.Parse("198.51.100.1")) { Flags = MptcpEndpointFlags.Implicit }));
            Assert.Throws<ArgumentNullException>(() => Mptcp.AddEndpoint(null!));
        }
    }

    [Test]
    public void AddEndpoint_UnknownDevice_ThrowsNamingIt()
    {
        NetlinkException e = Assert.Throws<NetlinkException>(() => Mptcp.AddEndpoint(new MptcpEndpointSpec(IPAddress.Parse("198.51.100.1")) { Link = "nosuch0" }))!;
        Assert.That(e.Message, Does.Contain("nosuch0"));
        Assert.That(Mptcp.ListEndpoints(), Is.Empty);
    }

    [Test]
    public void AddEndpoint_Duplicate_ThrowsWithTheKernelsText()
    {
        var spec = new MptcpEndpointSpec(IPAddress.Parse("198.51.100.1")) { Id = 1, Flags = MptcpEndpointFlags.Signal };
        Mptcp.AddEndpoint(spec);
        NetlinkException e = Assert.Throws<NetlinkException>(() => Mptcp.AddEndpoint(spec))!;
        Assert.That(e.ExtendedAckMessage, Is.Not.Null.And.Not.Empty);
    }

    [Test]
    public async Task SetLimits_BothWays_MatchIp()
    {
        Mptcp.SetLimits(new MptcpLimits { Subflows = 3, AcceptedAddresses = 2 });
        // iproute2 6.1 prints limits as text even with -j.
        Assert.That(_lab.Ip("mptcp", "limits", "show").Trim(), Is.EqualTo("add_addr_accepted 2 subflows 3"));

        _lab.Ip("mptcp", "limits", "set", "subflows", "5");
        MptcpLimits limits = await Mptcp.GetLimitsAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(limits.Subflows, Is.EqualTo(5u));
            Assert.That(limits.AcceptedAddresses, Is.EqualTo(2u), "a limit not given stays");
        }

        Assert.Throws<ArgumentException>(() => Mptcp.SetLimits(new MptcpLimits()));
    }

    [Test]
    public void SetLimits_AboveTheKernelsMaximum_ThrowsWithItsText()
    {
        NetlinkException e = Assert.Throws<NetlinkException>(() => Mptcp.SetLimits(new MptcpLimits { Subflows = 100 }))!;
        Assert.That(e.Errno, Is.EqualTo(Errno.EINVAL));
        Assert.That(e.ExtendedAckMessage, Is.Not.Null.And.Not.Empty);
    }

    private static void CompareWithIp(IReadOnlyList<MptcpEndpoint> endpoints, JsonElement ip)
    {
        Assert.That(endpoints, Has.Count.EqualTo(ip.GetArrayLength()));
        using (Assert.EnterMultipleScope())
        {
            for (int i = 0; i < endpoints.Count; i++)
            {
                MptcpEndpoint ours = endpoints[i];
                JsonElement theirs = ip[i];
                Assert.That(ours.Address.ToString(), Is.EqualTo(theirs.GetProperty("address").GetString()));
                Assert.That(ours.Id, Is.EqualTo(theirs.GetProperty("id").GetInt32()));
                Assert.That(ours.Port, Is.EqualTo(theirs.TryGetProperty("port", out JsonElement port) ? port.GetInt32() : 0));
                Assert.That(ours.Flags.HasFlag(MptcpEndpointFlags.Signal), Is.EqualTo(theirs.TryGetProperty("signal", out _)));
                Assert.That(ours.Flags.HasFlag(MptcpEndpointFlags.Subflow), Is.EqualTo(theirs.TryGetProperty("subflow", out _)));
                Assert.That(ours.Flags.HasFlag(MptcpEndpointFlags.Backup), Is.EqualTo(theirs.TryGetProperty("backup", out _)));
                Assert.That(ours.Flags.HasFlag(MptcpEndpointFlags.Fullmesh), Is.EqualTo(theirs.TryGetProperty("fullmesh", out _)));
                Assert.That(ours.InterfaceIndex != 0, Is.EqualTo(theirs.TryGetProperty("dev", out _)));
            }
        }
    }
}
