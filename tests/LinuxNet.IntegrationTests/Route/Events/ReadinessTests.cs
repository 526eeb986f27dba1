using System.Net;
using System.Text.Json;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Route;

namespace LinuxNet.IntegrationTests.Route;

[TestFixture]
[Category("Privileged")]
public class ReadinessTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);
    private RouteLab _lab = null!;

    [SetUp]
    public void SetUp()
    {
        Privileged.RequireRoot();
        _lab = RouteLab.Create();
    }

    [TearDown]
    public void TearDown() => _lab?.Dispose();

    [Test]
    public async Task WaitForAddressAsync_Ipv6WithDad_ReturnsOnlyOnceNotTentative()
    {
        // Three probes: DAD takes about 3 s, so the address is certainly tentative when the wait starts.
        IpOracle.Execute(_lab.Namespace, "sysctl", "-qw", "net.ipv6.conf.v0.dad_transmits=3");
        _lab.Ip("addr", "add", "2001:db8::1/64", "dev", "v0");
        Assert.That(IsTentative(), Is.True, "the address should start tentative");

        await _lab.Manager.WaitForAddressAsync(IPAddress.Parse("2001:db8::1"), Bound);

        Assert.That(IsTentative(), Is.False);
    }

    [Test]
    public async Task WaitForAddressAsync_AlreadyUsable_ReturnsAtOnce()
    {
        _lab.Ip("addr", "add", "198.51.100.1/24", "dev", "v0");
        await _lab.Manager.WaitForAddressAsync(IPAddress.Parse("198.51.100.1"), Bound);
        Assert.That(_lab.Json("-4", "addr", "show", "dev", "v0")[0].GetProperty("addr_info").GetArrayLength(), Is.EqualTo(1));
    }

    [Test]
    public void WaitForLinkUpAsync_LinkStaysDown_TimesOut()
    {
        _lab.Ip("link", "set", "v0", "down");
        Assert.ThrowsAsync<TimeoutException>(async () => await _lab.Manager.WaitForLinkUpAsync("v0", TimeSpan.FromMilliseconds(500)));
    }

    [Test]
    public void WaitForLinkUpAsync_LinkNeverCreated_TimesOut()
        => Assert.ThrowsAsync<TimeoutException>(async () => await _lab.Manager.WaitForLinkUpAsync("nosuch0", TimeSpan.FromMilliseconds(300)));

    [Test]
    public async Task WaitForLinkUpAsync_LinkComesUpLater_ReturnsWithCarrier()
    {
        _lab.Ip("link", "set", "v1", "down");
        ValueTask<LinkInfo> wait = _lab.Manager.WaitForLinkUpAsync("v0", Bound);
        Assert.That(wait.IsCompleted, Is.False, "v0 has no carrier while v1 is down");
        _lab.Ip("link", "set", "v1", "up");

        LinkInfo link = await wait;

        Assert.Multiple(() =>
        {
            Assert.That(link.Name, Is.EqualTo("v0"));
            Assert.That(link.Flags & (LinkFlags.Up | LinkFlags.LowerUp), Is.EqualTo(LinkFlags.Up | LinkFlags.LowerUp));
            Assert.That(_lab.Json("link", "show", "dev", "v0")[0].GetProperty("flags").EnumerateArray().Select(f => f.GetString()), Does.Contain("LOWER_UP"));
        });
    }

    [Test]
    public async Task WaitForLinkUpAsync_ByIndex_ReturnsThatLinkWhenItGetsCarrier()
    {
        int index = _lab.Json("link", "show", "dev", "v0")[0].GetProperty("ifindex").GetInt32();
        _lab.Ip("link", "set", "v1", "down");
        ValueTask<LinkInfo> wait = _lab.Manager.WaitForLinkUpAsync(index, Bound);
        Assert.That(wait.IsCompleted, Is.False, "v0 has no carrier while v1 is down");
        _lab.Ip("link", "set", "v1", "up");

        LinkInfo link = await wait;

        Assert.That((link.Index, link.Name), Is.EqualTo((index, "v0")));
    }

    [Test]
    public void WaitForLinkUpAsync_EmptyReference_ThrowsBeforeWaiting()
        => Assert.ThrowsAsync<ArgumentException>(async () => await _lab.Manager.WaitForLinkUpAsync(default(LinkReference), Bound));

    [Test]
    public async Task WaitForRouteAsync_RouteAddedLater_Returns()
    {
        _lab.Ip("addr", "add", "198.51.100.1/24", "dev", "v0");
        ValueTask wait = _lab.Manager.WaitForRouteAsync(IPPrefix.Parse("203.0.113.0/24"), Bound);
        _lab.Ip("route", "add", "203.0.113.0/24", "via", "198.51.100.2", "table", "1000");
        await wait;
        Assert.That(_lab.Json("route", "show", "table", "1000").GetArrayLength(), Is.EqualTo(1));
    }

    [Test]
    public void WaitForRouteAsync_NoSuchRoute_TimesOut()
        => Assert.ThrowsAsync<TimeoutException>(async () => await _lab.Manager.WaitForRouteAsync(IPPrefix.Parse("203.0.113.0/24"), TimeSpan.FromMilliseconds(300)));

    private bool IsTentative()
    {
        JsonElement info = _lab.Json("-6", "addr", "show", "dev", "v0")[0].GetProperty("addr_info");
        JsonElement address = info.EnumerateArray().Single(a => a.TryGetProperty("local", out JsonElement l) && l.GetString() == "2001:db8::1");
        return address.TryGetProperty("tentative", out _);
    }
}
