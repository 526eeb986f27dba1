using System.Net;
using LinuxNet.Netlink;
using LinuxNet.Route;
using LinuxNet.Tc;
using LinuxNet.Tests.Route.Shared;

namespace LinuxNet.Tests.Tc;

/// <summary>Bad input is refused with an ArgumentException-family error before anything reaches a socket.</summary>
[TestFixture]
public class TcSpecValidationTests
{
    private static IEnumerable<TestCaseData> BadQdiscs()
    {
        yield return new TestCaseData(new TbfQdiscSpec("v0", 0, 32768) { Latency = TimeSpan.FromMilliseconds(50) }).SetName("Tbf_RateZero");
        yield return new TestCaseData(new TbfQdiscSpec("v0", 1_250_000, 1000) { Latency = TimeSpan.FromMilliseconds(50) }).SetName("Tbf_BurstSmallerThanMtu");
        yield return new TestCaseData(new TbfQdiscSpec("v0", 1_250_000, 32768)).SetName("Tbf_NeitherLatencyNorLimit");
        yield return new TestCaseData(new TbfQdiscSpec("v0", 1_250_000, 32768) { Limit = 1000, Latency = TimeSpan.FromMilliseconds(1) }).SetName("Tbf_LatencyAndLimit");
        yield return new TestCaseData(new TbfQdiscSpec("v0", 1_250_000, 32768) { Limit = 30000, PeakRate = 2_500_000 }).SetName("Tbf_PeakRateWithoutMtu");
        yield return new TestCaseData(new HtbQdiscSpec("v0") { Handle = TcHandle.Parse("1:10") }).SetName("Qdisc_HandleWithMinor");
        yield return new TestCaseData(new PfifoQdiscSpec("v0") { Limit = 0 }).SetName("Pfifo_LimitZero");
        yield return new TestCaseData(new PfifoQdiscSpec("this-name-is-too-long")).SetName("Qdisc_BadDeviceName");
        yield return new TestCaseData(new NetemQdiscSpec("v0") { LossPercent = 101 }).SetName("Netem_LossOver100");
    }

    [TestCaseSource(nameof(BadQdiscs))]
    public void AddQdisc_BadSpec_ThrowsArgumentExceptionWithoutSending(QdiscSpec spec)
    {
        using var kernel = new RecordingKernel();
        var tc = new TrafficControlManager(kernel.Manager.Pipeline);
        Assert.That(() => tc.AddQdisc(spec), Throws.InstanceOf<ArgumentException>());
        Assert.That(kernel.Take(), Is.Empty);
    }

    [Test]
    public void AddClass_RateZero_Throws()
    {
        using var kernel = new RecordingKernel();
        var tc = new TrafficControlManager(kernel.Manager.Pipeline);
        Assert.That(() => tc.AddClass(new HtbClassSpec("v0", TcHandle.Parse("1:10"), 0)), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => tc.AddClass(new HtbClassSpec("v0", TcHandle.Parse("1:"), 1000)), Throws.InstanceOf<ArgumentException>());
        Assert.That(kernel.Take(), Is.Empty);
    }

    [Test]
    public void U32Match_InvalidPrefix_Throws()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => U32Match.IPDestination(IPAddress.Parse("198.51.100.0"), 33), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => U32Match.IPSource(IPPrefix.Parse("2001:db8::/32")), Throws.InstanceOf<ArgumentException>());
            Assert.That(() => U32Match.IPSource(IPAddress.Parse("198.51.100.1"), -1), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => new U32Match(0xff, 0x0f, 0), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => new U32Match(0, 0, 3), Throws.InstanceOf<ArgumentOutOfRangeException>());
        });
    }

    [Test]
    public void AddFilter_NoMatchesOrContradiction_Throws()
    {
        using var kernel = new RecordingKernel();
        var tc = new TrafficControlManager(kernel.Manager.Pipeline);
        Assert.That(() => tc.AddFilter(new U32FilterSpec("v0", TcHandle.Parse("1:"))), Throws.InstanceOf<ArgumentException>());
        Assert.That(() => tc.AddFilter(new U32FilterSpec("v0", TcHandle.Root) { Matches = new[] { U32Match.All } }), Throws.InstanceOf<ArgumentException>());
        Assert.That(kernel.Take(), Is.Empty);
    }

    [Test]
    public void DeleteClass_HandleWithoutMinor_Throws()
    {
        using var kernel = new RecordingKernel();
        var tc = new TrafficControlManager(kernel.Manager.Pipeline);
        Assert.That(() => tc.DeleteClass("v0", TcHandle.Parse("1:")), Throws.InstanceOf<ArgumentException>());
        Assert.That(kernel.Take(), Is.Empty);
    }
}
