using System.Text.Json;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;
using LinuxNet.Samples.NamespaceLab;

namespace LinuxNet.Samples.Tests;

[Category("Privileged")]
[NonParallelizable]
public class NamespaceLabTests
{
    private string _prefix = string.Empty;

    [SetUp]
    public void SetUp()
    {
        Privileged.RequireRoot();
        _prefix = "lnt-" + Guid.NewGuid().ToString("N")[..6] + "-";
    }

    [TearDown]
    public void TearDown()
    {
        foreach (string name in NetNamespace.List().Where(n => n.StartsWith(_prefix, StringComparison.Ordinal)))
        {
            NetNamespace.Delete(name);
        }
    }

    [Test]
    public async Task Run_Default_EveryExpectationHoldsAndNothingIsLeft()
    {
        var output = new StringWriter();
        int exit = await new Lab(new LabOptions { Prefix = _prefix }, output).RunAsync(CancellationToken.None);
        string text = output.ToString();
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero, text);
            Assert.That(text, Does.Contain("Destination Host Unreachable").Or.Contain("no reply from 198.51.100.2"));
            Assert.That(text, Does.Match(@"bytes from 203\.0\.113\.2: icmp_seq=1 ttl=\d+ time=[\d.]+ ms"));
            Assert.That(text, Does.Contain("state DOWN"), "the listing after the move shows the reset TAP");
            Assert.That(text, Does.Contain("removed:"));
            Assert.That(IpOracle.RunHere("netns", "list"), Does.Not.Contain(_prefix), "no namespace left behind");
            Assert.That(IpOracle.RunHere("-o", "link"), Does.Not.Contain("tap0").And.Not.Contain("veth0"), "nothing leaked into the test's namespace");
        });
    }

    [Test]
    public async Task Run_Json_ReportsEveryCheckAsHeld()
    {
        var output = new StringWriter();
        int exit = await new Lab(new LabOptions { Prefix = _prefix, Json = true }, output).RunAsync(CancellationToken.None);
        using JsonDocument report = JsonDocument.Parse(output.ToString());
        JsonElement checks = report.RootElement.GetProperty("checks");
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero);
            Assert.That(report.RootElement.GetProperty("success").GetBoolean(), Is.True);
            Assert.That(checks.GetArrayLength(), Is.GreaterThanOrEqualTo(10));
            Assert.That(checks.EnumerateArray().All(c => c.GetProperty("held").GetBoolean()), Is.True);
            Assert.That(report.RootElement.GetProperty("removed").GetArrayLength(), Is.EqualTo(5), "two TAPs and three namespaces");
        });
    }

    [Test]
    public async Task Run_Keep_LeavesNamespacesUsableByIpNetnsExec()
    {
        int exit = await new Lab(new LabOptions { Prefix = _prefix, Keep = true }, TextWriter.Null).RunAsync(CancellationToken.None);
        Assert.That(exit, Is.Zero);
        string addresses = IpOracle.RunHere("netns", "exec", _prefix + "ns0", "ip", "-o", "addr");
        Assert.That(addresses, Does.Contain("203.0.113.1/24").And.Contain("198.51.100.1/24"));
    }

    [Test]
    public async Task Run_NamespaceExists_FailsWithoutTouchingIt()
    {
        using NetNamespace existing = NetNamespace.Create(_prefix + "ns0");
        var output = new StringWriter();
        int exit = await new Lab(new LabOptions { Prefix = _prefix }, output).RunAsync(CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(2));
            Assert.That(output.ToString(), Does.Contain("exists already"));
            Assert.That(NetNamespace.Exists(_prefix + "ns0"), Is.True);
        });
    }
}
