using System.Text.Json;
using LinuxNet.IntegrationTests.Infrastructure;

namespace LinuxNet.Samples.Tests.Cni;

/// <summary>
/// The plugin run by libcni, the CNI project's own runtime library (through <c>samples/Cni/driver</c>): ADD, CHECK and
/// DEL on namespaces the test made, the result checked against <c>ip -j</c> and <c>bridge -j</c>.
/// </summary>
[Category("Privileged")]
[NonParallelizable]
public class CniDriverTests
{
    [SetUp]
    public void SetUp() => Privileged.RequireRoot();

    [Test]
    public void AddCheckDel_ThroughLibcni()
    {
        using var lab = new CniLab(CniBinaries.OurType);

        CniRun add = lab.Driver("add");
        Assert.That(add.ExitCode, Is.Zero, add.ToString());
        JsonElement result = add.Json;
        JsonElement[] interfaces = result.GetProperty("interfaces").EnumerateArray().ToArray();
        JsonElement ip = result.GetProperty("ips")[0];
        string hostVeth = interfaces[1].GetProperty("name").GetString()!;

        JsonElement containerLink = IpOracle.Json(lab.Container, "addr", "show", "dev", "eth0")[0];
        JsonElement port = JsonDocument.Parse(IpOracle.Execute(lab.Host, "bridge", "-j", "link", "show")).RootElement[0];
        JsonElement gatewayOnBridge = IpOracle.Json(lab.Host, "-4", "addr", "show", "dev", "cni0")[0].GetProperty("addr_info")[0];
        JsonElement defaultRoute = IpOracle.Json(lab.Container, "route", "show", "default")[0];
        Assert.Multiple(() =>
        {
            Assert.That(result.GetProperty("cniVersion").GetString(), Is.EqualTo("1.0.0"));
            Assert.That(interfaces.Select(i => i.GetProperty("name").GetString()), Is.EqualTo(new[] { "cni0", hostVeth, "eth0" }));
            Assert.That(hostVeth, Does.Match("^veth[0-9a-f]{8}$"));
            Assert.That(interfaces[2].GetProperty("sandbox").GetString(), Is.EqualTo(lab.Container.Path));
            Assert.That(interfaces[2].GetProperty("mac").GetString(), Is.EqualTo(containerLink.GetProperty("address").GetString()));
            Assert.That(ip.GetProperty("interface").GetInt32(), Is.EqualTo(2));
            Assert.That(ip.GetProperty("address").GetString(), Is.EqualTo("198.51.100.2/24"));
            Assert.That(ip.GetProperty("gateway").GetString(), Is.EqualTo("198.51.100.1"));
            Assert.That(containerLink.GetProperty("addr_info").EnumerateArray().Select(a => a.GetProperty("local").GetString() + "/" + a.GetProperty("prefixlen").GetInt32()), Does.Contain("198.51.100.2/24"));
            Assert.That(containerLink.GetProperty("operstate").GetString(), Is.EqualTo("UP"));
            Assert.That(port.GetProperty("ifname").GetString(), Is.EqualTo(hostVeth));
            Assert.That(port.GetProperty("master").GetString(), Is.EqualTo("cni0"));
            Assert.That(gatewayOnBridge.GetProperty("local").GetString(), Is.EqualTo("198.51.100.1"));
            Assert.That(defaultRoute.GetProperty("gateway").GetString(), Is.EqualTo("198.51.100.1"));
            Assert.That(lab.Leases, Is.EqualTo(new[] { "198.51.100.2" }));
        });

        CniRun check = lab.Driver("check");
        Assert.That(check.ExitCode, Is.Zero, check.ToString());

        CniRun del = lab.Driver("del");
        Assert.That(del.ExitCode, Is.Zero, del.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(NetworkState.LinkNames(lab.Container), Is.EqualTo(new[] { "lo" }));
            Assert.That(NetworkState.LinkNames(lab.Host), Is.EqualTo(new[] { "lo", "cni0" }), "the bridge stays, as the reference plugin's does");
            Assert.That(lab.Leases, Is.Empty);
        });

        CniRun again = lab.Driver("del");
        Assert.That(again.ExitCode, Is.Zero, "DEL is idempotent: " + again);
    }

    [Test]
    public void Version_ThroughLibcni()
    {
        using var lab = new CniLab(CniBinaries.OurType);
        CniRun version = lab.Run("version");
        Assert.That(version.ExitCode, Is.Zero, version.ToString());
        Assert.That(version.Stdout.Trim(), Is.EqualTo("linuxnet-bridge 1.0.0 1.1.0"));
    }

    [Test]
    public void TwoContainers_OneBridge_NextAddress()
    {
        using var lab = new CniLab(CniBinaries.OurType);
        var second = lab.NewContainer();
        Assert.That(lab.Driver("add").ExitCode, Is.Zero);
        CniRun add = lab.Driver("add", second, containerId: "c2");
        Assert.That(add.ExitCode, Is.Zero, add.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(add.Json.GetProperty("ips")[0].GetProperty("address").GetString(), Is.EqualTo("198.51.100.3/24"));
            Assert.That(JsonDocument.Parse(IpOracle.Execute(lab.Host, "bridge", "-j", "link", "show")).RootElement.GetArrayLength(), Is.EqualTo(2));
        });
        Assert.That(lab.Driver("del", second, containerId: "c2").ExitCode, Is.Zero);
        Assert.That(lab.Driver("del").ExitCode, Is.Zero);
        Assert.That(lab.Leases, Is.Empty);
    }
}
