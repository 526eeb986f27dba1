using System.Text.Json;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Route;

namespace LinuxNet.Samples.Tests.Cni;

/// <summary>
/// The same network configuration run by libcni once with the reference <c>bridge</c> plugin (Debian's
/// containernetworking-plugins) and once with ours, each on its own pair of namespaces: the links, addresses,
/// routes and bridge ports in the container and in the host namespace must be the same (names and MACs aside), after
/// ADD and after DEL. CHECK must catch what the reference's CHECK catches.
/// </summary>
[Category("Privileged")]
[NonParallelizable]
public class CniDifferentialTests
{
    [SetUp]
    public void SetUp() => Privileged.RequireRoot();

    [Test]
    public void AddThenDel_SameStateAsReferenceBridge()
    {
        using var reference = new CniLab("bridge");
        using var ours = new CniLab(CniBinaries.OurType);

        CniRun referenceAdd = reference.Driver("add");
        CniRun ourAdd = ours.Driver("add");
        Assert.That(referenceAdd.ExitCode, Is.Zero, referenceAdd.ToString());
        Assert.That(ourAdd.ExitCode, Is.Zero, ourAdd.ToString());
        AssertSameState(reference, ours, "after ADD");
        Assert.That(Shape(ourAdd.Json), Is.EqualTo(Shape(referenceAdd.Json)), "the ADD results, names and MACs aside");

        Assert.That(reference.Driver("del").ExitCode, Is.Zero);
        CniRun ourDel = ours.Driver("del");
        Assert.That(ourDel.ExitCode, Is.Zero, ourDel.ToString());
        AssertSameState(reference, ours, "after DEL");
        Assert.Multiple(() =>
        {
            Assert.That(NetworkState.LinkNames(ours.Container), Is.EqualTo(new[] { "lo" }));
            Assert.That(NetworkState.LinkNames(ours.Host).Where(n => n.StartsWith("veth", StringComparison.Ordinal)), Is.Empty);
            Assert.That(ours.Leases, Is.Empty);
            Assert.That(reference.Leases, Is.Empty);
        });
    }

    [Test]
    public void Mtu_SameAsReferenceBridge()
    {
        var ipam = new System.Text.Json.Nodes.JsonObject
        {
            ["ranges"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["subnet"] = "203.0.113.0/24" })),
        };
        using var reference = new CniLab("bridge", ipam.DeepClone().AsObject(), mtu: 9000);
        using var ours = new CniLab(CniBinaries.OurType, ipam.DeepClone().AsObject(), mtu: 9000);
        Assert.That(reference.Driver("add").ExitCode, Is.Zero);
        CniRun add = ours.Driver("add");
        Assert.That(add.ExitCode, Is.Zero, add.ToString());
        AssertSameState(reference, ours, "after ADD with mtu 9000");
        Assert.That(IpOracle.Json(ours.Container, "link", "show", "eth0")[0].GetProperty("mtu").GetInt32(), Is.EqualTo(9000));
    }

    [TestCase("bridge")]
    [TestCase(CniBinaries.OurType)]
    public void Check_DetectsDeletedHostVeth(string type)
    {
        using var lab = new CniLab(type);
        CniRun add = lab.Driver("add");
        Assert.That(add.ExitCode, Is.Zero, add.ToString());
        Assert.That(lab.Driver("check").ExitCode, Is.Zero);

        string hostVeth = add.Json.GetProperty("interfaces")[1].GetProperty("name").GetString()!;
        using (RtnetlinkSession host = RtnetlinkSession.Open(lab.Host))
        {
            // Deleting the host end removes the container end too, as a crashed or meddled node would leave it.
            host.Links.Delete(hostVeth);
        }

        CniRun check = lab.Driver("check");
        Assert.Multiple(() =>
        {
            Assert.That(check.ExitCode, Is.Not.Zero, check.ToString());
            Assert.That(check.Json.GetProperty("code").GetUInt32(), Is.GreaterThan(0u));
            Assert.That(check.Json.GetProperty("msg").GetString(), Does.Contain("eth0").Or.Contain(hostVeth));
        });
        Assert.That(lab.Driver("del").ExitCode, Is.Zero);
    }

    [TestCase("bridge")]
    [TestCase(CniBinaries.OurType)]
    public void Check_DetectsChangedAddress(string type)
    {
        using var lab = new CniLab(type);
        CniRun add = lab.Driver("add");
        Assert.That(add.ExitCode, Is.Zero, add.ToString());
        using (RtnetlinkSession container = RtnetlinkSession.Open(lab.Container))
        {
            container.Addresses.Delete("eth0", IPPrefix.Parse("198.51.100.2/24"));
            container.Addresses.Add("eth0", IPPrefix.Parse("198.51.100.77/24"));
        }

        CniRun check = lab.Driver("check");
        Assert.Multiple(() =>
        {
            Assert.That(check.ExitCode, Is.Not.Zero, check.ToString());
            Assert.That(check.Json.GetProperty("msg").GetString(), Does.Contain("198.51.100.2"));
        });
        Assert.That(lab.Driver("del").ExitCode, Is.Zero);
    }

    private static void AssertSameState(CniLab reference, CniLab ours, string when)
    {
        NetworkState referenceHost = NetworkState.Settled(reference.Host), ourHost = NetworkState.Settled(ours.Host);
        NetworkState referenceContainer = NetworkState.Settled(reference.Container), ourContainer = NetworkState.Settled(ours.Container);
        Assert.Multiple(() =>
        {
            Assert.That(ourHost.Links, Is.EqualTo(referenceHost.Links), $"host links {when}");
            Assert.That(ourHost.Addresses, Is.EqualTo(referenceHost.Addresses), $"host addresses {when}");
            Assert.That(ourHost.Routes, Is.EqualTo(referenceHost.Routes), $"host routes {when}");
            Assert.That(ourHost.BridgePorts, Is.EqualTo(referenceHost.BridgePorts), $"host bridge ports {when}");
            Assert.That(ourContainer.Links, Is.EqualTo(referenceContainer.Links), $"container links {when}");
            Assert.That(ourContainer.Addresses, Is.EqualTo(referenceContainer.Addresses), $"container addresses {when}");
            Assert.That(ourContainer.Routes, Is.EqualTo(referenceContainer.Routes), $"container routes {when}");
        });
    }

    /// <summary>A result with the random parts (host veth name, MACs, sandbox path) taken out.</summary>
    private static string Shape(JsonElement result)
    {
        string json = result.GetRawText();
        foreach (JsonElement i in result.GetProperty("interfaces").EnumerateArray())
        {
            foreach (string field in (string[])["name", "mac", "sandbox"])
            {
                if (i.TryGetProperty(field, out JsonElement value) && value.GetString() is { } text && (field != "name" || text.StartsWith("veth", StringComparison.Ordinal)))
                {
                    json = json.Replace("\"" + text + "\"", "\"<" + field + ">\"", StringComparison.Ordinal);
                }
            }
        }

        return JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement);
    }
}
