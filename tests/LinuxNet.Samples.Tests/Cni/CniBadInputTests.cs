using System.Text.Json;
using System.Text.Json.Nodes;
using LinuxNet.IntegrationTests.Infrastructure;

namespace LinuxNet.Samples.Tests.Cni;

/// <summary>
/// Bad input gives the spec's error JSON (<c>cniVersion</c>, <c>code</c>, <c>msg</c>) on stdout and a non-zero exit,
/// with the same code the reference <c>bridge</c> plugin gives for the same input, and changes nothing: no link in the
/// host or container namespace, no lease.
/// </summary>
[Category("Privileged")]
[NonParallelizable]
public class CniBadInputTests
{
    [SetUp]
    public void SetUp()
    {
        Privileged.RequireRoot();
        CniBinaries.RequireDriver();
    }

    [TestCase("{\"cniVersion\":\"1.0.0\",", 6u, TestName = "MalformedJson_Code6")]
    [TestCase("[1,2]", 6u, TestName = "JsonNotAnObject_Code6")]
    public void MalformedConfig(string stdin, uint code) => AssertRefused(stdin, env => { }, code);

    [Test]
    public void MissingNetns_Code4() => AssertRefused(null, env => env.Remove("CNI_NETNS"), 4u, "CNI_NETNS");

    [Test]
    public void UnknownCniVersion_Code1() => AssertRefused(Config(cniVersion: "9.9.9"), env => { }, 1u, "incompatible CNI versions");

    [Test]
    public void ExhaustedPool_IpamErrorPassedOn_NothingHalfMade()
    {
        var oneAddress = new JsonObject
        {
            ["ranges"] = new JsonArray(new JsonArray(new JsonObject { ["subnet"] = "198.51.100.0/24", ["rangeStart"] = "198.51.100.10", ["rangeEnd"] = "198.51.100.10" })),
        };
        foreach (string type in (string[])["bridge", CniBinaries.OurType])
        {
            using var lab = new CniLab(type, oneAddress.DeepClone().AsObject());
            Assert.That(lab.Driver("add").ExitCode, Is.Zero, "the first container takes the pool's only address");
            var second = lab.NewContainer();
            CniRun add = lab.Driver("add", second, containerId: "c2");
            Assert.Multiple(() =>
            {
                Assert.That(add.ExitCode, Is.Not.Zero, add.ToString());
                Assert.That(add.Json.GetProperty("msg").GetString(), Does.Contain("no IP addresses available"), type);
                Assert.That(lab.Leases, Is.EqualTo(new[] { "198.51.100.10" }), type);
            });
            if (type == CniBinaries.OurType)
            {
                // The reference leaves the second container's veth behind here; ours made no link at all.
                Assert.That(NetworkState.LinkNames(second), Is.EqualTo(new[] { "lo" }));
                Assert.That(NetworkState.LinkNames(lab.Host).Count(n => n.StartsWith("veth", StringComparison.Ordinal)), Is.EqualTo(1));
            }

            Assert.That(lab.Driver("del").ExitCode, Is.Zero);
        }
    }

    [Test]
    public void BridgeNameTooLong_Code7_NothingMade()
    {
        using var lab = new CniLab(CniBinaries.OurType);
        string config = lab.Config.Replace("\"cni0\"", "\"bridge-name-far-too-long\"", StringComparison.Ordinal);
        CniRun add = lab.Plugin(CniBinaries.OurType, config, lab.Environment("ADD"));
        Assert.Multiple(() =>
        {
            Assert.That(add.ExitCode, Is.Not.Zero, add.ToString());
            Assert.That(add.Json.GetProperty("code").GetUInt32(), Is.EqualTo(7u), add.ToString());
            Assert.That(NetworkState.LinkNames(lab.Container), Is.EqualTo(new[] { "lo" }));
            Assert.That(NetworkState.LinkNames(lab.Host), Is.EqualTo(new[] { "lo" }));
            Assert.That(lab.Leases, Is.Empty, "the lease taken before the bridge was refused is released");
        });
    }

    [Test]
    public void Version_WithoutConfig()
    {
        using var lab = new CniLab(CniBinaries.OurType);
        CniRun version = lab.Plugin(CniBinaries.OurType, "", new Dictionary<string, string?> { ["CNI_COMMAND"] = "VERSION" });
        Assert.That(version.ExitCode, Is.Zero, version.ToString());
        Assert.That(version.Json.GetProperty("supportedVersions").EnumerateArray().Select(v => v.GetString()), Is.EqualTo(new[] { "1.0.0", "1.1.0" }));
    }

    [Test]
    public void Status_110()
    {
        using var lab = new CniLab(CniBinaries.OurType, cniVersion: "1.1.0");
        CniRun status = lab.Plugin(CniBinaries.OurType, lab.Config, new Dictionary<string, string?> { ["CNI_COMMAND"] = "STATUS", ["CNI_PATH"] = lab.PluginDirectory });
        Assert.That(status.ExitCode, Is.Zero, status.ToString());
        CniRun missing = lab.Plugin(CniBinaries.OurType, lab.Config, new Dictionary<string, string?> { ["CNI_COMMAND"] = "STATUS", ["CNI_PATH"] = "/nonexistent" });
        Assert.That(missing.ExitCode, Is.Not.Zero);
        Assert.That(missing.Json.GetProperty("code").GetUInt32(), Is.EqualTo(50u), missing.ToString());
    }

    private static string Config(string cniVersion) => CniLab.NetworkConfig("TYPE", Path.GetTempPath(), cniVersion: cniVersion);

    private static void AssertRefused(string? stdin, Action<Dictionary<string, string?>> change, uint code, string? message = null)
    {
        var codes = new Dictionary<string, uint>();
        foreach (string type in (string[])["bridge", CniBinaries.OurType])
        {
            using var lab = new CniLab(type);
            Dictionary<string, string?> environment = lab.Environment("ADD");
            change(environment);
            CniRun run = lab.Plugin(type, (stdin ?? lab.Config).Replace("\"TYPE\"", "\"" + type + "\"", StringComparison.Ordinal), environment);
            JsonElement error = run.Json;
            codes[type] = error.GetProperty("code").GetUInt32();
            Assert.Multiple(() =>
            {
                Assert.That(run.ExitCode, Is.Not.Zero, $"{type}: {run}");
                Assert.That(error.GetProperty("msg").GetString(), Is.Not.Empty);
                if (message is not null)
                {
                    Assert.That(error.GetProperty("msg").GetString(), Does.Contain(message), type);
                }

                Assert.That(NetworkState.LinkNames(lab.Container), Is.EqualTo(new[] { "lo" }), $"{type}: container");
                Assert.That(NetworkState.LinkNames(lab.Host), Is.EqualTo(new[] { "lo" }), $"{type}: host");
                Assert.That(lab.Leases, Is.Empty, type);
            });
            if (type == CniBinaries.OurType)
            {
                Assert.That(error.GetProperty("cniVersion").GetString(), Is.Not.Empty, "the spec's error object carries cniVersion");
            }
        }

        Assert.That(codes[CniBinaries.OurType], Is.EqualTo(code).And.EqualTo(codes["bridge"]), "the same code as the reference plugin");
    }
}
