using System.Net;
using System.Net.Sockets;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;
using LinuxNet.Netlink;
using LinuxNet.Route;

namespace LinuxNet.IntegrationTests.Route.Routes;

/// <summary>
/// <see cref="RouteManager.ListVerified"/>: dumps until two consecutive dumps agree, because the kernel does not flag
/// interrupted IPv6 route dumps (issue 12 item 4).
/// </summary>
[TestFixture]
[Category("Privileged")]
public class RouteListVerifiedTests
{
    private NetNamespace _ns = null!;
    private RtnetlinkSession _rt = null!;

    [SetUp]
    public void SetUp()
    {
        Privileged.RequireRoot();
        _ns = NetNamespace.CreateAnonymous();
        _rt = RtnetlinkSession.Open(_ns);
        _rt.Links.Add(new VethLinkSpec("v0", "v1"));
        _rt.Links.SetUp("v0");
        _rt.Links.SetUp("v1");
        using RtnetlinkBatch batch = _rt.CreateBatch();
        for (int i = 1; i <= 500; i++)
        {
            batch.AddRoute(new IPPrefix(IPAddress.Parse($"2001:db8:7::{i:x}"), 128), "v0");
        }

        batch.Execute().ThrowIfAnyFailed();
    }

    [TearDown]
    public void TearDown()
    {
        _rt?.Dispose();
        _ns?.Dispose();
    }

    [Test]
    public void ListVerified_QuietTable_EqualsListAndIp()
    {
        IReadOnlyList<RouteInfo> verified = _rt.Routes.ListVerified(AddressFamily.InterNetworkV6, RouteTables.Main);
        IReadOnlyList<RouteInfo> once = _rt.Routes.List(AddressFamily.InterNetworkV6, RouteTables.Main);
        int ip = IpOracle.Json(_ns, "-6", "route", "show", "table", "main").GetArrayLength();
        Assert.Multiple(() =>
        {
            Assert.That(verified.Select(r => r.Destination.ToString()), Is.EquivalentTo(once.Select(r => r.Destination.ToString())));
            Assert.That(verified, Has.Count.EqualTo(ip));
            Assert.That(verified.Count(r => r.Destination.PrefixLength == 128 && r.Destination.ToString().StartsWith("2001:db8:7::", StringComparison.Ordinal)), Is.EqualTo(500));
        });
    }

    [Test]
    public async Task ListVerifiedAsync_UnderChurn_NeverMissesARouteThatDidNotChange()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Task churn = Task.Run(() =>
        {
            using RtnetlinkSession writer = RtnetlinkSession.Open(_ns);
            var flapping = new RouteSpec(IPPrefix.Parse("2001:db8:8::/64")) { Link = "v0" };
            for (int i = 0; i < 3000 && !stop.IsCancellationRequested; i++)
            {
                writer.Routes.Add(flapping);
                writer.Routes.Delete(flapping);
            }
        });

        int lists = 0;
        int gaveUp = 0;
        while (!churn.IsCompleted && lists < 200)
        {
            try
            {
                IReadOnlyList<RouteInfo> routes = await _rt.Routes.ListVerifiedAsync(AddressFamily.InterNetworkV6, RouteTables.Main, maxDumps: 20, stop.Token);
                Assert.That(routes.Count(r => r.Destination.ToString().StartsWith("2001:db8:7::", StringComparison.Ordinal)), Is.EqualTo(500), "a verified list holds every stable route");
            }
            catch (NetlinkException e) when (e.Errno == Errno.EAGAIN)
            {
                gaveUp++;
            }

            lists++;
        }

        stop.Cancel();
        await churn;
        TestContext.Out.WriteLine($"{lists} verified lists under churn, {gaveUp} gave up (EAGAIN)");
        Assert.That(lists, Is.GreaterThan(0));
    }

    [TestCase(1)]
    [TestCase(0)]
    public void ListVerified_FewerThanTwoDumps_ThrowsBeforeSending(int maxDumps)
        => Assert.Throws<ArgumentOutOfRangeException>(() => _rt.Routes.ListVerified(maxDumps: maxDumps));
}
