using System.Net;
using LinuxNet.Netlink;
using LinuxNet.Route;
using LinuxNet.Tc;

namespace LinuxNet.Tests.Tc;

/// <summary>Every traffic control request shape LinuxNet sends, byte for byte against iproute2 6.1's <c>tc</c> (eng/capture-tc.sh).</summary>
[TestFixture]
public class TcRequestGoldenTests
{
    private const NetlinkMessageFlags Add = NetlinkMessageFlags.Create | NetlinkMessageFlags.Exclusive;
    private const NetlinkMessageFlags Replace = NetlinkMessageFlags.Create | NetlinkMessageFlags.Replace;
    private const int Ifb0 = 4;

    private static readonly RequestEncoder<TcObjectKey> Key = TcMessages.WriteKey;

    [Test]
    public void AddQdisc_TbfLatency_MatchesTc()
        => TcCapture.AssertRequest("tc-qdisc-add-tbf-latency", new TbfQdiscSpec("v0", TcUnits.ParseRate("10mbit"), TcUnits.ParseSize("32kb")) { Handle = TcHandle.Parse("1:"), Latency = TimeSpan.FromMilliseconds(50) }, Add);

    [Test]
    public void ReplaceQdisc_TbfLimit_MatchesTc()
        => TcCapture.AssertRequest("tc-qdisc-replace-tbf-limit", new TbfQdiscSpec("v0", 125_000, 10 * 1024) { Handle = TcHandle.Parse("1:"), Limit = 30000 }, Replace);

    [Test]
    public void ChangeQdisc_TbfPeakRate_MatchesTc()
        => TcCapture.AssertRequest("tc-qdisc-change-tbf-peak", new TbfQdiscSpec("v0", 125_000, 10 * 1024) { Handle = TcHandle.Parse("1:"), Limit = 30000, PeakRate = 250_000, Mtu = 1600 }, 0);

    [Test]
    public void AddQdisc_Htb_MatchesTc()
        => TcCapture.AssertRequest("tc-qdisc-add-htb", new HtbQdiscSpec("v0") { Handle = new TcHandle(1, 0), DefaultClass = 0x10, RateToQuantum = 5 }, Add);

    [Test]
    public void AddQdisc_Pfifo_MatchesTc()
        => TcCapture.AssertRequest("tc-qdisc-add-pfifo", new PfifoQdiscSpec("v1") { Handle = new TcHandle(2, 0), Limit = 100 }, Add);

    [Test]
    public void ReplaceQdisc_Bfifo_MatchesTc()
        => TcCapture.AssertRequest("tc-qdisc-replace-bfifo", new BfifoQdiscSpec("v1") { Handle = new TcHandle(3, 0), Limit = 10000 }, Replace);

    [Test]
    public void AddQdisc_Ingress_MatchesTc() => TcCapture.AssertRequest("tc-qdisc-add-ingress", new IngressQdiscSpec("v1"), Add);

    [Test]
    public void AddQdisc_Clsact_MatchesTc() => TcCapture.AssertRequest("tc-qdisc-add-clsact", new ClsactQdiscSpec("ifb0"), Add);

    [Test]
    public void AddQdisc_NetemDelayJitter_MatchesTc()
        => TcCapture.AssertRequest("tc-qdisc-add-netem", new NetemQdiscSpec("ifb0") { Handle = new TcHandle(0x20, 0), Delay = TimeSpan.FromMilliseconds(100), Jitter = TimeSpan.FromMilliseconds(10), Limit = 1000 }, Add);

    [Test]
    public void AddQdisc_NetemLoss_MatchesTc()
        => TcCapture.AssertRequest("tc-qdisc-add-netem-loss", new NetemQdiscSpec("ifb0") { Handle = new TcHandle(0x20, 0), LossPercent = 1 }, Add);

    [Test]
    public void AddQdisc_FqCodel_MatchesTc()
        => TcCapture.AssertRequest("tc-qdisc-add-fq-codel", new FqCodelQdiscSpec("ifb0") { Handle = new TcHandle(0x20, 0) }, Add);

    [Test]
    public void AddQdisc_FqCodelOptions_MatchesTc()
        => TcCapture.AssertRequest("tc-qdisc-add-fq-codel-opts", new FqCodelQdiscSpec("ifb0") { Handle = new TcHandle(0x20, 0), Limit = 1000, Target = TimeSpan.FromMilliseconds(5), Interval = TimeSpan.FromMilliseconds(100), Ecn = true }, Add);

    [Test]
    public void DeleteQdisc_Root_MatchesTc()
        => TcCapture.AssertEncodes("tc-qdisc-del-root", new TcObjectKey(LinuxPktSched.RTM_DELQDISC, 3, 0, TcHandle.Root.Value), Key);

    [Test]
    public void DeleteQdisc_Ingress_MatchesTc()
        => TcCapture.AssertEncodes("tc-qdisc-del-ingress", new TcObjectKey(LinuxPktSched.RTM_DELQDISC, 2, TcHandle.IngressQdisc.Value, TcHandle.Ingress.Value, 0, "ingress"), Key);

    [TestCase("tc-qdisc-dump", LinuxPktSched.RTM_GETQDISC, 0, 0u)]
    [TestCase("tc-qdisc-dump-dev", LinuxPktSched.RTM_GETQDISC, 3, 0u)]
    [TestCase("tc-class-dump-dev", LinuxPktSched.RTM_GETTCLASS, 3, 0u)]
    [TestCase("tc-filter-dump-dev", LinuxPktSched.RTM_GETTFILTER, 3, 0x10000u)]
    [TestCase("tc-filter-dump-ingress", LinuxPktSched.RTM_GETTFILTER, 2, 0xFFFFFFF2u)]
    public void Dump_MatchesTc(string capture, ushort type, int index, uint parent)
        => TcCapture.AssertEncodes(capture, new TcObjectKey(type, index, 0, parent), Key);

    [Test]
    public void AddClass_HtbAllOptions_MatchesTc()
        => TcCapture.AssertRequest("tc-class-add-htb-full", new HtbClassSpec("v0", TcHandle.Parse("1:10"), TcUnits.ParseRate("5mbit")) { Ceiling = TcUnits.ParseRate("10mbit"), Priority = 1, Quantum = 1500, Burst = TcUnits.ParseSize("15k"), CeilingBurst = TcUnits.ParseSize("15k") }, Add);

    [Test]
    public void AddClass_HtbRateOnly_DefaultBurstsMatchTc()
        => TcCapture.AssertRequest("tc-class-add-htb-rate", new HtbClassSpec("v0", TcHandle.Parse("1:20"), 125_000), Add);

    [Test]
    public void ChangeClass_Htb_MatchesTc()
        => TcCapture.AssertRequest("tc-class-change-htb", new HtbClassSpec("v0", TcHandle.Parse("1:20"), 250_000) { Ceiling = 500_000 }, 0);

    [Test]
    public void ReplaceClass_Htb_MatchesTc()
        => TcCapture.AssertRequest("tc-class-replace-htb", new HtbClassSpec("v0", TcHandle.Parse("1:30"), TcUnits.ParseRate("100kbit")), NetlinkMessageFlags.Create);

    [Test]
    public void DeleteClass_MatchesTc()
        => TcCapture.AssertEncodes("tc-class-del", new TcObjectKey(LinuxPktSched.RTM_DELTCLASS, 3, TcHandle.Parse("1:30").Value, 0), Key);

    [Test]
    public void AddFilter_U32Destination_MatchesTc()
        => TcCapture.AssertRequest("tc-filter-add-u32-dst", new U32FilterSpec("v0", TcHandle.Parse("1:")) { Protocol = TcProtocol.IPv4, Priority = 1, Matches = new[] { U32Match.IPDestination(IPPrefix.Parse("198.51.100.0/24")) }, ClassId = TcHandle.Parse("1:10") }, Add);

    [Test]
    public void AddFilter_U32SourceProtocolPorts_MergesPortsAsTc()
        => TcCapture.AssertRequest(
            "tc-filter-add-u32-ports",
            new U32FilterSpec("v0", TcHandle.Parse("1:"))
            {
                Protocol = TcProtocol.IPv4,
                Priority = 2,
                Matches = new[] { U32Match.IPSource(IPAddress.Parse("203.0.113.1"), 32), U32Match.IPProtocol(6), U32Match.SourcePort(1024), U32Match.DestinationPort(80) },
                ClassId = TcHandle.Parse("1:20"),
            },
            Add);

    [Test]
    public void AddFilter_U32MatchAllMirredEgressRedirect_MatchesTc()
        => TcCapture.AssertRequest(
            "tc-filter-add-u32-mirred",
            new U32FilterSpec("v1", TcHandle.Parse("ffff:")) { Priority = 1, Matches = new[] { U32Match.All }, Actions = new[] { new MirredAction(MirredDirection.Egress, MirredMode.Redirect, "ifb0") } },
            Add,
            Ifb0);

    [Test]
    public void AddFilter_U32MirredIngressMirror_MatchesTc()
        => TcCapture.AssertRequest(
            "tc-filter-add-u32-mirror-ingress",
            new U32FilterSpec("v1", TcHandle.Parse("ffff:")) { Protocol = TcProtocol.IPv4, Priority = 2, Matches = new[] { U32Match.IPDestination(IPPrefix.Parse("198.51.100.2/32")) }, Actions = new[] { new MirredAction(MirredDirection.Ingress, MirredMode.Mirror, "ifb0") } },
            Add,
            Ifb0);

    [Test]
    public void ReplaceFilter_U32ByHandle_MatchesTc()
        => TcCapture.AssertRequest("tc-filter-replace-u32", new U32FilterSpec("v0", TcHandle.Parse("1:")) { Protocol = TcProtocol.IPv4, Priority = 1, Handle = 0x80000800, Matches = new[] { U32Match.IPDestination(IPPrefix.Parse("198.51.100.0/25")) }, ClassId = TcHandle.Parse("1:20") }, NetlinkMessageFlags.Create);

    [Test]
    public void GetFilter_U32_MatchesTcPlusAck()
        => TcCapture.AssertEncodes("tc-filter-get-u32", new TcObjectKey(LinuxPktSched.RTM_GETTFILTER, 3, 0x80000800, 0x10000, TcMessages.FilterInfo(1, TcProtocol.IPv4), "u32"), Key, addAck: true);

    [Test]
    public void DeleteFilter_Priority_MatchesTc()
        => TcCapture.AssertEncodes("tc-filter-del-prio", new TcObjectKey(LinuxPktSched.RTM_DELTFILTER, 3, 0, 0x10000, TcMessages.FilterInfo(2, TcProtocol.Unspecified)), Key);

    [Test]
    public void AddFilter_BpfDirectAction_MatchesTc()
    {
        // tc opened the pinned program as fd 4 and named it "<file>:[*fsobj]".
        var spec = new BpfFilterSpec("v0", TcHandle.IngressFilters, 4) { Name = "p:[*fsobj]", DirectAction = true };
        TcCapture.AssertRequest("tc-filter-add-bpf-da", spec, Add);
    }
}
