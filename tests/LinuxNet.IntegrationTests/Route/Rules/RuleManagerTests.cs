using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Netlink;
using LinuxNet.Route;

namespace LinuxNet.IntegrationTests.Route;

[TestFixture]
[Category("Privileged")]
public class RuleManagerTests
{
    private RouteLab _lab = null!;

    [SetUp]
    public void SetUp()
    {
        Privileged.RequireRoot();
        _lab = RouteLab.Create(veth: false);
    }

    [TearDown]
    public void TearDown() => _lab?.Dispose();

    [Test]
    public void List_FreshNamespace_HasTheDefaultRules()
    {
        IReadOnlyList<RuleInfo> rules = _lab.Manager.Session.Rules.List();
        Assert.That(
            rules.Select(r => (r.Family, r.Priority, r.Table)),
            Is.EqualTo(new[]
            {
                (AddressFamily.InterNetwork, 0u, 255u),
                (AddressFamily.InterNetwork, 32766u, 254u),
                (AddressFamily.InterNetwork, 32767u, 253u),
                (AddressFamily.InterNetworkV6, 0u, 255u),
                (AddressFamily.InterNetworkV6, 32766u, 254u),
            }));
    }

    [Test]
    public void List_RulesMadeByIp_MatchIpFieldByField()
    {
        _lab.Ip("rule", "add", "from", "198.51.100.0/24", "table", "100", "priority", "1000");
        _lab.Ip("rule", "add", "fwmark", "0x10/0xff", "table", "1000", "priority", "1001");
        _lab.Ip("rule", "add", "not", "to", "203.0.113.0/24", "iif", "v0", "oif", "v1", "prohibit", "priority", "1002");
        _lab.Ip("rule", "add", "priority", "1003", "table", "main", "suppress_prefixlength", "0");
        _lab.Ip("rule", "add", "priority", "1004", "from", "203.0.113.7", "blackhole");
        _lab.Ip("-6", "rule", "add", "to", "2001:db8:1::/48", "priority", "2000", "unreachable");
        _lab.Ip("-6", "rule", "add", "from", "2001:db8::/32", "table", "300", "priority", "2001");

        CompareWithIp(_lab.Manager.Session.Rules.List(AddressFamily.InterNetwork), _lab.Json("-4", "rule", "show"));
        CompareWithIp(_lab.Manager.Session.Rules.List(AddressFamily.InterNetworkV6), _lab.Json("-6", "rule", "show"));
    }

    [Test]
    public async Task AddAsync_EveryField_IpShowsSameRules()
    {
        var specs = new[]
        {
            new RuleSpec { Source = IPPrefix.Parse("198.51.100.0/24"), Table = 100, Priority = 1000 },
            new RuleSpec { FirewallMark = 0x10, FirewallMask = 0xff, Table = 5000, Priority = 1001 },
            new RuleSpec { Invert = true, Destination = IPPrefix.Parse("203.0.113.0/24"), InputInterface = "v0", OutputInterface = "v1", Action = RuleAction.Prohibit, Priority = 1002 },
            new RuleSpec { Priority = 1003, SuppressPrefixLength = 0 },
            new RuleSpec { Priority = 1004, Source = IPPrefix.Parse("203.0.113.7/32"), Action = RuleAction.Blackhole },
            new RuleSpec { Priority = 1005, FirewallMark = 7, Action = RuleAction.Unreachable },
            new RuleSpec { Destination = IPPrefix.Parse("2001:db8:1::/48"), Priority = 2000, Action = RuleAction.Unreachable },
            new RuleSpec { Source = IPPrefix.Parse("2001:db8::/32"), Table = 300, Priority = 2001 },
        };
        foreach (RuleSpec spec in specs)
        {
            await _lab.Manager.Session.Rules.AddAsync(spec);
        }

        JsonElement v4 = _lab.Json("-4", "rule", "show");
        CompareWithIp(_lab.Manager.Session.Rules.List(AddressFamily.InterNetwork), v4);
        CompareWithIp(await _lab.Manager.Session.Rules.ListAsync(AddressFamily.InterNetworkV6), _lab.Json("-6", "rule", "show"));
        Assert.That(v4.EnumerateArray().Select(r => r.GetProperty("priority").GetUInt32()), Is.EqualTo(new uint[] { 0, 1000, 1001, 1002, 1003, 1004, 1005, 32766, 32767 }));
    }

    [Test]
    public void Delete_ByPriorityAndBySelector_RemovesOnlyThoseRules()
    {
        _lab.Ip("rule", "add", "from", "198.51.100.0/24", "table", "100", "priority", "1000");
        _lab.Ip("rule", "add", "from", "198.51.100.0/24", "table", "101", "priority", "1001");
        _lab.Ip("-6", "rule", "add", "from", "2001:db8::/32", "table", "100", "priority", "1000");

        _lab.Manager.Session.Rules.Delete(new RuleSpec { Source = IPPrefix.Parse("198.51.100.0/24"), Table = 101 });
        _lab.Manager.Session.Rules.Delete(new RuleSpec { Family = AddressFamily.InterNetworkV6, Priority = 1000 });

        Assert.Multiple(() =>
        {
            Assert.That(_lab.Json("-4", "rule", "show").EnumerateArray().Select(r => r.GetProperty("priority").GetUInt32()), Is.EqualTo(new uint[] { 0, 1000, 32766, 32767 }));
            Assert.That(_lab.Json("-6", "rule", "show").EnumerateArray().Select(r => r.GetProperty("priority").GetUInt32()), Is.EqualTo(new uint[] { 0, 32766 }));
        });
    }

    [Test]
    public async Task AddAsync_InterfacesByIndex_TravelAsNamesIpShows()
    {
        int lo = _lab.Manager.Get("lo").Index;
        await _lab.Manager.Session.Rules.AddAsync(new RuleSpec { Priority = 1100, InputInterface = lo, OutputInterface = LinkReference.FromIndex(lo), Action = RuleAction.Prohibit });

        JsonElement rule = _lab.Json("-4", "rule", "show", "priority", "1100")[0];
        Assert.Multiple(() =>
        {
            Assert.That(rule.GetProperty("iif").GetString(), Is.EqualTo("lo"));
            Assert.That(rule.GetProperty("oif").GetString(), Is.EqualTo("lo"));
        });

        _lab.Manager.Session.Rules.Delete(new RuleSpec { Priority = 1100, InputInterface = lo });
        Assert.That(_lab.Json("-4", "rule", "show", "priority", "1100").GetArrayLength(), Is.Zero);
    }

    [Test]
    public void Add_InterfaceIndexThatDoesNotExist_ThrowsNoDeviceAndAddsNothing()
    {
        NetlinkException error = Assert.Throws<NetlinkException>(() => _lab.Manager.Session.Rules.Add(new RuleSpec { Priority = 1101, InputInterface = 4242 }))!;
        Assert.Multiple(() =>
        {
            Assert.That(error.Errno, Is.EqualTo(Errno.ENODEV));
            Assert.That(error.Message, Does.Contain("4242"));
            Assert.That(_lab.Json("-4", "rule", "show", "priority", "1101").GetArrayLength(), Is.Zero);
        });
    }

    [Test]
    public void Batch_RuleWithInterfaceByIndex_IpShowsTheName()
    {
        int lo = _lab.Manager.Get("lo").Index;
        using (RtnetlinkBatch batch = _lab.Manager.Session.CreateBatch())
        {
            batch.AddRule(new RuleSpec { Priority = 1102, OutputInterface = lo, Table = 100 });
            Assert.That(batch.Execute().AllSucceeded, Is.True);
        }

        Assert.That(_lab.Json("-4", "rule", "show", "priority", "1102")[0].GetProperty("oif").GetString(), Is.EqualTo("lo"));
    }

    [Test]
    public void Flush_Ipv4_LeavesOnlyPriorityZeroAsIpRuleFlushDoes()
    {
        _lab.Ip("rule", "add", "from", "198.51.100.0/24", "table", "100", "priority", "1000");
        _lab.Ip("rule", "add", "fwmark", "0x10/0xff", "table", "200", "priority", "1000");
        _lab.Ip("rule", "add", "not", "to", "203.0.113.0/24", "iif", "lo", "prohibit", "priority", "1002");
        _lab.Ip("rule", "add", "priority", "1003", "table", "1000", "suppress_prefixlength", "0");
        _lab.Ip("-6", "rule", "add", "from", "2001:db8::/32", "table", "300", "priority", "2001");

        int deleted = _lab.Manager.Session.Rules.Flush(AddressFamily.InterNetwork);

        JsonElement left = _lab.Json("-4", "rule", "show");
        Assert.Multiple(() =>
        {
            Assert.That(deleted, Is.EqualTo(6), "four added, main and default");
            Assert.That(left.EnumerateArray().Select(r => r.GetProperty("priority").GetUInt32()), Is.EqualTo(new[] { 0u }), left.ToString());
            Assert.That(_lab.Json("-6", "rule", "show").EnumerateArray().Select(r => r.GetProperty("priority").GetUInt32()), Is.EqualTo(new[] { 0u, 2001u, 32766u }));
        });
    }

    [Test]
    public async Task FlushAsync_BothFamilies_LeavesOnlyPriorityZero()
    {
        _lab.Ip("-6", "rule", "add", "to", "2001:db8:1::/48", "priority", "2000", "unreachable");

        int deleted = await _lab.Manager.Session.Rules.FlushAsync();

        Assert.Multiple(() =>
        {
            Assert.That(deleted, Is.EqualTo(4), "IPv4 main and default, IPv6 main and the one added");
            Assert.That(_lab.Json("rule", "show").EnumerateArray().Select(r => r.GetProperty("priority").GetUInt32()), Is.EqualTo(new[] { 0u }));
            Assert.That(_lab.Json("-6", "rule", "show").EnumerateArray().Select(r => r.GetProperty("priority").GetUInt32()), Is.EqualTo(new[] { 0u }));
        });
    }

    [Test]
    public void Flush_BadFamily_ThrowsBeforeSending()
        => Assert.Throws<ArgumentException>(() => _lab.Manager.Session.Rules.Flush(AddressFamily.Unix));

    [Test]
    public void Delete_NoMatch_ThrowsNotFound()
    {
        NetlinkException error = Assert.Throws<NetlinkException>(() => _lab.Manager.Session.Rules.Delete(new RuleSpec { Priority = 4242 }))!;
        Assert.That(error.IsNotFound, Is.True);
    }

    [Test]
    public void Add_Duplicate_ThrowsAlreadyExists()
    {
        var spec = new RuleSpec { Source = IPPrefix.Parse("198.51.100.0/24"), Table = 100, Priority = 1000 };
        _lab.Manager.Session.Rules.Add(spec);
        NetlinkException error = Assert.Throws<NetlinkException>(() => _lab.Manager.Session.Rules.Add(spec))!;
        Assert.That(error.IsAlreadyExists, Is.True);
    }

    private static void CompareWithIp(IReadOnlyList<RuleInfo> ours, JsonElement theirs)
    {
        Assert.That(ours, Has.Count.EqualTo(theirs.GetArrayLength()), theirs.ToString());
        for (int i = 0; i < ours.Count; i++)
        {
            RuleInfo actual = ours[i];
            JsonElement expected = theirs[i];
            Assert.Multiple(() =>
            {
                Assert.That(actual.Priority, Is.EqualTo(expected.GetProperty("priority").GetUInt32()));
                int host = actual.Family == AddressFamily.InterNetwork ? 32 : 128;
                Assert.That(actual.Source?.Address.ToString() ?? "all", Is.EqualTo(expected.GetProperty("src").GetString()));
                Assert.That(actual.Source?.PrefixLength ?? 0, Is.EqualTo(expected.TryGetProperty("srclen", out JsonElement sl) ? sl.GetInt32() : actual.Source is null ? 0 : host));
                Assert.That(actual.Destination?.Address.ToString(), Is.EqualTo(expected.TryGetProperty("dst", out JsonElement d) ? d.GetString() : null));
                if (actual.Destination is { } destination)
                {
                    Assert.That(destination.PrefixLength, Is.EqualTo(expected.TryGetProperty("dstlen", out JsonElement dl) ? dl.GetInt32() : host));
                }

                Assert.That(actual.Invert, Is.EqualTo(expected.TryGetProperty("not", out _)));
                Assert.That(actual.InputInterface, Is.EqualTo(expected.TryGetProperty("iif", out JsonElement iif) ? iif.GetString() : null));
                Assert.That(actual.OutputInterface, Is.EqualTo(expected.TryGetProperty("oif", out JsonElement oif) ? oif.GetString() : null));
                Assert.That(actual.FirewallMark is uint m ? "0x" + m.ToString("x", CultureInfo.InvariantCulture) : null, Is.EqualTo(expected.TryGetProperty("fwmark", out JsonElement fm) ? fm.GetString() : null));
                if (expected.TryGetProperty("fwmask", out JsonElement fk))
                {
                    Assert.That("0x" + actual.FirewallMask!.Value.ToString("x", CultureInfo.InvariantCulture), Is.EqualTo(fk.GetString()));
                }

                Assert.That(actual.SuppressPrefixLength, Is.EqualTo(expected.TryGetProperty("suppress_prefixlen", out JsonElement sp) ? sp.GetInt32() : null));
                if (expected.TryGetProperty("table", out JsonElement table))
                {
                    Assert.That(actual.Action, Is.EqualTo(RuleAction.ToTable));
                    Assert.That(TableName(actual.Table), Is.EqualTo(table.GetString()));
                }
                else
                {
                    Assert.That(actual.Action.ToString().ToLowerInvariant(), Is.EqualTo(expected.GetProperty("action").GetString()));
                }
            });
        }
    }

    private static string TableName(uint table) => table switch
    {
        255 => "local",
        254 => "main",
        253 => "default",
        _ => table.ToString(CultureInfo.InvariantCulture),
    };
}
