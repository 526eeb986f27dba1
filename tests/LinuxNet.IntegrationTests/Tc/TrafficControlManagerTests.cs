using System.Net;
using System.Text.Json;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Netlink;
using LinuxNet.Route;
using LinuxNet.Tc;

namespace LinuxNet.IntegrationTests.Tc;

/// <summary>qdiscs, classes and filters made by LinuxNet read back by <c>tc -j -s</c>, and the other way round.</summary>
[TestFixture]
[Category("Privileged")]
public class TrafficControlManagerTests
{
    private TcLab _lab = null!;

    [SetUp]
    public void SetUp()
    {
        Privileged.RequireRoot();
        _lab = TcLab.Create();
    }

    [TearDown]
    public void TearDown() => _lab?.Dispose();

    [Test]
    public void AddQdisc_Tbf_TcShowsTheSameOptions()
    {
        _lab.Tc.AddQdisc(new TbfQdiscSpec("v0", TcUnits.ParseRate("10mbit"), TcUnits.ParseSize("32kb")) { Handle = TcHandle.Parse("1:"), Latency = TimeSpan.FromMilliseconds(50) });

        // A stray IPv6 packet (MLD, neighbour discovery) may pass the new qdisc between two reads: counters are checked
        // between tc's reads before and after LinuxNet's.
        JsonElement tc = Single(_lab.Json("qdisc", "show", "dev", "v0"), "tbf");
        QdiscInfo mine = _lab.Tc.ListQdiscs("v0").Single(q => q.Kind == "tbf");
        JsonElement tcAfter = Single(_lab.Json("qdisc", "show", "dev", "v0"), "tbf");
        var options = (TbfQdiscOptions)mine.Options!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(tc.GetProperty("handle").GetString(), Is.EqualTo("1:"));
            Assert.That(tc.GetProperty("root").GetBoolean(), Is.True);
            Assert.That(tc.GetProperty("options").GetProperty("rate").GetUInt64(), Is.EqualTo(1_250_000));
            Assert.That(options.Rate, Is.EqualTo(tc.GetProperty("options").GetProperty("rate").GetUInt64()));
            Assert.That(options.Burst, Is.EqualTo(tc.GetProperty("options").GetProperty("burst").GetUInt32()));
            Assert.That((ulong)options.Latency, Is.EqualTo(tc.GetProperty("options").GetProperty("lat").GetUInt64()));
            Assert.That(mine.Handle.ToString(), Is.EqualTo("1:"));
            Assert.That(mine.Parent, Is.EqualTo(TcHandle.Root));
            Assert.That(mine.RefCount, Is.EqualTo(tc.GetProperty("refcnt").GetUInt32()));
            Assert.That(mine.Statistics!.Bytes, Is.InRange(tc.GetProperty("bytes").GetUInt64(), tcAfter.GetProperty("bytes").GetUInt64()));
            Assert.That(mine.Statistics.QueueLength, Is.EqualTo(tc.GetProperty("qlen").GetUInt32()));
        }
    }

    [Test]
    public void ListQdiscs_MadeByTc_ReadsWhatTcShows()
    {
        _lab.Run("qdisc", "add", "dev", "v0", "root", "handle", "1:", "htb", "default", "10", "r2q", "5");
        _lab.Run("class", "add", "dev", "v0", "parent", "1:", "classid", "1:10", "htb", "rate", "5mbit", "ceil", "10mbit", "prio", "1", "quantum", "1500", "burst", "15k", "cburst", "15k");
        _lab.Run("qdisc", "add", "dev", "v0", "parent", "1:10", "handle", "10:", "tbf", "rate", "1mbit", "burst", "10kb", "limit", "30000");
        _lab.Run("qdisc", "add", "dev", "v0", "ingress");
        _lab.Run("qdisc", "add", "dev", "ifb0", "root", "handle", "2:", "bfifo", "limit", "10000");

        // A stray IPv6 packet (MLD, neighbour discovery) may pass a qdisc between two reads: counters are checked
        // between tc's reads before and after LinuxNet's, as in AddQdisc_Tbf_TcShowsTheSameOptions.
        JsonElement tc = _lab.Json("qdisc", "show");
        IReadOnlyList<QdiscInfo> mine = _lab.Tc.ListQdiscs();
        JsonElement tcAfter = _lab.Json("qdisc", "show");
        int compared = 0;
        using (Assert.EnterMultipleScope())
        {
            foreach (JsonElement q in tc.EnumerateArray())
            {
                string kind = q.GetProperty("kind").GetString()!;
                string handle = q.GetProperty("handle").GetString()!;
                QdiscInfo? match = mine.SingleOrDefault(m => m.Kind == kind && $"{m.Handle.Major:x}:" == handle && DevName(m.LinkIndex) == q.GetProperty("dev").GetString());
                Assert.That(match, Is.Not.Null, $"LinuxNet lists no {kind} {handle}");
                if (match is null)
                {
                    continue;
                }

                Assert.That(match.Parent == TcHandle.Root, Is.EqualTo(q.TryGetProperty("root", out _)), kind);
                if (q.TryGetProperty("parent", out JsonElement parent))
                {
                    Assert.That(match.Parent.ToString(), Is.EqualTo(parent.GetString()), kind);
                }

                JsonElement after = tcAfter.EnumerateArray().Single(a => a.GetProperty("kind").GetString() == kind && a.GetProperty("handle").GetString() == handle && a.GetProperty("dev").GetString() == q.GetProperty("dev").GetString());
                Assert.That(match.Statistics!.Packets, Is.InRange(q.GetProperty("packets").GetUInt64(), after.GetProperty("packets").GetUInt64()), kind);
                Assert.That(match.Statistics.Bytes, Is.InRange(q.GetProperty("bytes").GetUInt64(), after.GetProperty("bytes").GetUInt64()), kind);
                Assert.That(match.Statistics.Drops, Is.InRange(q.GetProperty("drops").GetUInt32(), after.GetProperty("drops").GetUInt32()), kind);
                Assert.That(match.Statistics.Overlimits, Is.InRange(q.GetProperty("overlimits").GetUInt32(), after.GetProperty("overlimits").GetUInt32()), kind);
                Assert.That(match.Statistics.Backlog, Is.EqualTo(q.GetProperty("backlog").GetUInt32()), kind);
                JsonElement options = q.TryGetProperty("options", out JsonElement o) ? o : default;
                switch (match.Options)
                {
                    case HtbQdiscOptions htb:
                        Assert.That(htb.RateToQuantum, Is.EqualTo(options.GetProperty("r2q").GetUInt32()));
                        Assert.That(htb.DefaultHex, Is.EqualTo(options.GetProperty("default").GetString()));
                        Assert.That(htb.DirectQueueLength, Is.EqualTo(options.GetProperty("direct_qlen").GetUInt32()));
                        break;
                    case TbfQdiscOptions tbf:
                        Assert.That(tbf.Rate, Is.EqualTo(options.GetProperty("rate").GetUInt64()));
                        Assert.That(tbf.Burst, Is.EqualTo(options.GetProperty("burst").GetUInt32()));
                        Assert.That((ulong)tbf.Latency, Is.EqualTo(options.GetProperty("lat").GetUInt64()));
                        break;
                    case FifoQdiscOptions fifo:
                        Assert.That(fifo.Limit, Is.EqualTo(options.GetProperty("limit").GetUInt32()));
                        break;
                }

                compared++;
            }
        }

        Assert.That(compared, Is.GreaterThanOrEqualTo(5));

        IReadOnlyList<TcClassInfo> classes = _lab.Tc.ListClasses("v0");
        var htbClass = (HtbClassOptions)classes.Single(c => c.ClassId == TcHandle.Parse("1:10")).Options!;
        string text = _lab.Run("class", "show", "dev", "v0");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.Contain(classes.Single(c => c.ClassId == TcHandle.Parse("1:10")).ToString().TrimEnd()));
            Assert.That(htbClass.Rate, Is.EqualTo(625_000));
            Assert.That(htbClass.Ceiling, Is.EqualTo(1_250_000));
            Assert.That(htbClass.Burst, Is.EqualTo(15360));
            Assert.That(htbClass.Priority, Is.EqualTo(1));
            Assert.That(htbClass.Quantum, Is.EqualTo(1500));
        }
    }

    [Test]
    public void HtbTreeAndU32Filter_MadeByLinuxNet_TcShowsTheSame()
    {
        _lab.Tc.AddQdisc(new HtbQdiscSpec("v0") { Handle = TcHandle.Parse("1:"), DefaultClass = 0x20 });
        _lab.Tc.AddClass(new HtbClassSpec("v0", TcHandle.Parse("1:10"), TcUnits.ParseRate("5mbit")) { Ceiling = TcUnits.ParseRate("10mbit"), Priority = 1 });
        _lab.Tc.AddClass(new HtbClassSpec("v0", TcHandle.Parse("1:20"), TcUnits.ParseRate("1mbit")));
        _lab.Tc.AddFilter(new U32FilterSpec("v0", TcHandle.Parse("1:"))
        {
            Protocol = TcProtocol.IPv4,
            Priority = 2,
            Matches = new[] { U32Match.IPSource(IPPrefix.Parse("203.0.113.1/32")), U32Match.IPProtocol(6), U32Match.DestinationPort(80) },
            ClassId = TcHandle.Parse("1:10"),
        });

        string classes = _lab.Run("class", "show", "dev", "v0");
        JsonElement filters = _lab.Json("filter", "show", "dev", "v0", "parent", "1:");
        JsonElement key = filters.EnumerateArray().Single(f => f.TryGetProperty("options", out JsonElement o) && o.GetProperty("fh").GetString() == "800::800");
        TcFilterInfo mine = _lab.Tc.ListFilters("v0", TcHandle.Parse("1:")).Single(f => f.Handle == 0x80000800);
        var u32 = (U32FilterOptions)mine.Options!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(classes, Does.Contain("class htb 1:10 root prio 1 rate 5Mbit ceil 10Mbit burst 1600b cburst 1600b"));
            Assert.That(classes, Does.Contain("class htb 1:20 root prio 0 rate 1Mbit ceil 1Mbit burst 1600b cburst 1600b"));
            Assert.That(key.GetProperty("options").GetProperty("flowid").GetString(), Is.EqualTo("1:10"));
            Assert.That(key.GetProperty("pref").GetInt32(), Is.EqualTo(2));
            Assert.That(key.GetProperty("protocol").GetString(), Is.EqualTo("ip"));
            Assert.That(u32.ClassId, Is.EqualTo(TcHandle.Parse("1:10")));
            Assert.That(u32.IsTerminal, Is.True);
            Assert.That(u32.Matches.Select(m => m.ToString()), Is.EqualTo(new[] { "cb007101/ffffffff at 12", "00060000/00ff0000 at 8", "00000050/0000ffff at 20" }));
            Assert.That(mine.Priority, Is.EqualTo(2));
            Assert.That(mine.Protocol, Is.EqualTo(TcProtocol.IPv4));
        }

        TcFilterInfo? got = _lab.Tc.GetFilter("v0", TcHandle.Parse("1:"), 2, TcProtocol.IPv4, 0x80000800, "u32");
        Assert.That(((U32FilterOptions)got!.Options!).ClassId, Is.EqualTo(TcHandle.Parse("1:10")));

        _lab.Tc.DeleteFilter("v0", TcHandle.Parse("1:"), 2);
        _lab.Tc.DeleteClass("v0", TcHandle.Parse("1:20"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_lab.Json("filter", "show", "dev", "v0", "parent", "1:").GetArrayLength(), Is.Zero);
            Assert.That(_lab.Run("class", "show", "dev", "v0"), Does.Not.Contain("1:20"));
        }
    }

    [Test]
    public async Task ReplaceAndChange_Async_TcShowsTheNewOptions()
    {
        await _lab.Tc.AddQdiscAsync(new TbfQdiscSpec("v0", 125_000, 10 * 1024) { Handle = TcHandle.Parse("1:"), Limit = 30000 });
        await _lab.Tc.ChangeQdiscAsync(new TbfQdiscSpec("v0", 250_000, 10 * 1024) { Handle = TcHandle.Parse("1:"), Limit = 30000 });
        Assert.That(Single(_lab.Json("qdisc", "show", "dev", "v0"), "tbf").GetProperty("options").GetProperty("rate").GetUInt64(), Is.EqualTo(250_000));

        await _lab.Tc.ReplaceQdiscAsync(new PfifoQdiscSpec("v0") { Handle = TcHandle.Parse("2:"), Limit = 50 });
        JsonElement pfifo = Single(_lab.Json("qdisc", "show", "dev", "v0"), "pfifo");
        Assert.That(pfifo.GetProperty("options").GetProperty("limit").GetUInt32(), Is.EqualTo(50));

        await _lab.Tc.DeleteQdiscAsync("v0", TcHandle.Root);
        Assert.That((await _lab.Tc.ListQdiscsAsync("v0")).Any(q => q.Kind == "pfifo"), Is.False);
    }

    [Test]
    public void AddClass_UnderClasslessQdisc_KernelTextAsTc()
    {
        _lab.Tc.AddQdisc(new PfifoQdiscSpec("v0") { Handle = TcHandle.Parse("1:") });
        string tcError = _lab.RunFailing("class", "add", "dev", "v0", "parent", "1:", "classid", "1:10", "htb", "rate", "1mbit");
        NetlinkException e = Assert.Throws<NetlinkException>(() => _lab.Tc.AddClass(new HtbClassSpec("v0", TcHandle.Parse("1:10"), 125_000)))!;
        // This kernel refuses with EINVAL and no extended ack; tc then prints strerror ("Invalid argument").
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Errno, Is.EqualTo(Errno.EINVAL));
            Assert.That(tcError, Does.Contain(e.ExtendedAckMessage is { } text ? "Error: " + text : "Invalid argument"));
            Assert.That(e.Operation, Is.EqualTo("tc class add"));
            Assert.That(e.Message, Does.StartWith("tc class add:"));
        }
    }

    [Test]
    public void AddQdisc_NetemAndFqCodel_NotSupportedByThisKernel()
    {
        string tcError = _lab.RunFailing("qdisc", "add", "dev", "v0", "root", "netem", "delay", "100ms");
        if (!tcError.Contains("Specified qdisc kind is unknown", StringComparison.Ordinal))
        {
            Assert.Ignore($"this kernel has netem ({tcError})");
        }

        TcKindNotSupportedException netem = Assert.Throws<TcKindNotSupportedException>(() => _lab.Tc.AddQdisc(new NetemQdiscSpec("v0") { Delay = TimeSpan.FromMilliseconds(100) }))!;
        TcKindNotSupportedException fqCodel = Assert.ThrowsAsync<TcKindNotSupportedException>(async () => await _lab.Tc.AddQdiscAsync(new FqCodelQdiscSpec("v0")))!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(netem.Kind, Is.EqualTo("netem"));
            Assert.That(netem.ExtendedAckMessage, Is.EqualTo("Specified qdisc kind is unknown"));
            Assert.That(netem.Errno, Is.EqualTo(Errno.ENOENT));
            Assert.That(netem.Message, Does.Contain("not supported by this kernel"));
            Assert.That(fqCodel.Kind, Is.EqualTo("fq_codel"));
        }
    }

    [Test]
    public void DeleteQdisc_Missing_ENOENTWithKernelText()
    {
        NetlinkException e = Assert.Throws<NetlinkException>(() => _lab.Tc.DeleteQdisc("v0", TcHandle.Ingress))!;
        string tcError = _lab.RunFailing("qdisc", "del", "dev", "v0", "ingress");
        Assert.That(tcError, Does.Contain(e.ExtendedAckMessage ?? e.Errno.ToString()));
    }

    private string DevName(int index) => IpOracle.Json(_lab.Namespace, "link", "show").EnumerateArray().Single(l => l.GetProperty("ifindex").GetInt32() == index).GetProperty("ifname").GetString()!;

    private static JsonElement Single(JsonElement array, string kind) => array.EnumerateArray().Single(q => q.GetProperty("kind").GetString() == kind);
}
