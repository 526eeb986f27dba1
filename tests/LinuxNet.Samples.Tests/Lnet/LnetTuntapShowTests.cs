using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;
using LinuxNet.Route;

namespace LinuxNet.Samples.Tests.Lnet;

/// <summary><c>lnet tuntap show</c> prints what <c>ip tuntap show</c> prints (flags, owner, group), text and JSON.</summary>
[Category("Privileged")]
[NonParallelizable]
public class LnetTuntapShowTests
{
    private readonly Leftovers _leftovers = new();
    private NetNamespace? _ns;
    private string _name = string.Empty;

    [SetUp]
    public void SetUp()
    {
        Privileged.RequireRoot();
        _name = _leftovers.NewName();
        _ns = NetNamespace.Create(_name);
    }

    [TearDown]
    public void TearDown()
    {
        _ns?.Dispose();
        _leftovers.Dispose();
    }

    [Test]
    public void Show_SameAsIpTuntapShow()
    {
        // ip tuntap show reads sysfs, so it must run under ip netns exec (which remounts /sys for the namespace).
        Ip("tuntap", "add", "t0", "mode", "tun");
        Ip("tuntap", "add", "t1", "mode", "tap", "multi_queue");
        Ip("tuntap", "add", "t2", "mode", "tun", "pi", "vnet_hdr", "user", "0", "group", "0");
        Ip("tuntap", "add", "t3", "mode", "tap", "multi_queue", "vnet_hdr", "pi");

        (int exit, string text, _) = Lnet("tuntap", "show");
        (int jsonExit, string json, _) = Lnet("-j", "tuntap", "show");
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero);
            Assert.That(Sorted(text), Is.EqualTo(Sorted(Ip("tuntap", "show"))));
            Assert.That(text, Does.Contain("t1: tap multi_queue persist"), "persist is printed");
            Assert.That(jsonExit, Is.Zero);
            Assert.That(JsonSubset.Differences(Parse(json), Parse(Ip("-j", "tuntap", "show"))), Is.Empty);
        });
    }

    [Test]
    public void TunKindInfo_ReadsTheDriversData()
    {
        Ip("tuntap", "add", "t2", "mode", "tun", "pi", "vnet_hdr", "user", "0", "group", "0");
        using RtnetlinkSession rt = RtnetlinkSession.Open(_ns!);
        var tun = (TunKindInfo)rt.Links.Get("t2").KindInfo!;
        Assert.Multiple(() =>
        {
            Assert.That(tun.IsTap, Is.False);
            Assert.That(tun.PacketInformation, Is.True);
            Assert.That(tun.VirtioNetHeader, Is.True);
            Assert.That(tun.Persistent, Is.True);
            Assert.That(tun.MultiQueue, Is.False);
            Assert.That(tun.Owner, Is.EqualTo(0u));
            Assert.That(tun.Group, Is.EqualTo(0u));
        });
    }

    private static System.Text.Json.JsonElement Parse(string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static string[] Sorted(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToArray();

    private string Ip(params string[] args) => IpOracle.RunHere(["netns", "exec", _name, "ip", .. args]);

    private (int Exit, string Out, string Error) Lnet(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = LinuxNet.Samples.Lnet.Lnet.Run(["-n", _name, .. args], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
