using System.Net;
using System.Net.Sockets;
using LinuxNet.Netlink;
using LinuxNet.Route;
using LinuxNet.Tests.Infrastructure;

namespace LinuxNet.Tests.Route.Rules;

[TestFixture]
public class RuleMessageTests
{
    private static IEnumerable<TestCaseData> GoldenCases()
    {
        yield return new TestCaseData("rule-add-from", true, new RuleSpec { Source = IPPrefix.Parse("198.51.100.0/24"), Table = 100, Priority = 1000 });
        yield return new TestCaseData("rule-add-fwmark", true, new RuleSpec { FirewallMark = 0x10, FirewallMask = 0xff, Table = 200 });
        yield return new TestCaseData("rule-add-table-1000", true, new RuleSpec { Source = IPPrefix.Parse("203.0.113.0/24"), Table = 1000 });
        yield return new TestCaseData("rule-add-ipv6-to-blackhole", true, new RuleSpec { Destination = IPPrefix.Parse("2001:db8:1::/48"), Priority = 2000, Action = RuleAction.Blackhole });
        yield return new TestCaseData("rule-add-iif-oif-prohibit", true, new RuleSpec { Priority = 2100, InputInterface = "v0", OutputInterface = "v1", Action = RuleAction.Prohibit });
        yield return new TestCaseData("rule-add-not-suppress", true, new RuleSpec { Invert = true, Source = IPPrefix.Parse("198.51.100.0/25"), SuppressPrefixLength = 0 });
        yield return new TestCaseData("rule-add-unreachable-tos", true, new RuleSpec { Source = IPPrefix.Parse("203.0.113.7/32"), Destination = IPPrefix.Parse("198.51.100.0/24"), Priority = 2200, Tos = 0x10, Action = RuleAction.Unreachable });
        yield return new TestCaseData("rule-del", false, new RuleSpec { Source = IPPrefix.Parse("198.51.100.0/24"), Table = 100, Priority = 1000 });
        yield return new TestCaseData("rule-del-priority", false, new RuleSpec { Family = AddressFamily.InterNetworkV6, Priority = 2000 });
    }

    [TestCaseSource(nameof(GoldenCases))]
    public void Write_SameRuleAsIproute2_ProducesIdenticalBytes(string capture, bool add, RuleSpec spec)
    {
        spec.Validate(add);
        byte[] buffer = new byte[512];
        int length = RuleMessage.Write(buffer, spec, add);
        Iproute2Capture.AssertMatches(capture, buffer.AsSpan(0, length));
    }

    [Test]
    public void WriteDump_Ipv6_MatchesIproute2()
    {
        byte[] buffer = new byte[512];
        int length = RuleMessage.WriteDump(buffer, AddressFamily.InterNetworkV6);
        Iproute2Capture.AssertMatches("rule-dump-ipv6", buffer.AsSpan(0, length));
    }

    [Test]
    public void FlushDeletes_EachRuleIproute2Deletes_NameTheSameRule()
    {
        // ip rule flush echoes each dumped rule back as RTM_DELRULE; Flush writes the delete from the parsed rule with the
        // one encoder. Both must name the same rule: every field read back from our bytes equals iproute2's, but the
        // protocol (a dump-only attribute) and the action of table lookups (unspecified, as ip rule del writes it).
        int deletes = 0;
        foreach (byte[] theirsBytes in Iproute2Capture.LoadMessages("rule-flush-ipv4"))
        {
            (ushort theirsType, NetlinkMessageFlags theirsFlags, RuleInfo? theirs) = ParseOne(theirsBytes);
            if (theirsType != LinuxRtnetlink.RTM_DELRULE)
            {
                continue;
            }

            deletes++;
            RuleSpec spec = RuleManager.ToDeleteSpec(theirs!);
            spec.Validate(forAdd: false);
            byte[] buffer = new byte[512];
            int length = RuleMessage.Write(buffer, spec, add: false);
            (ushort oursType, NetlinkMessageFlags oursFlags, RuleInfo? ours) = ParseOne(buffer.AsSpan(0, length).ToArray());
            Assert.Multiple(() =>
            {
                Assert.That((oursType, oursFlags), Is.EqualTo((theirsType, theirsFlags)), theirs!.ToString());
                Assert.That(ours!.Action, Is.EqualTo(theirs.Action == RuleAction.ToTable ? RuleAction.Unspecified : theirs.Action), theirs.ToString());
                Assert.That(
                    (ours.Family, ours.Priority, ours.Source, ours.Destination, ours.Tos, ours.Table, ours.Invert),
                    Is.EqualTo((theirs.Family, theirs.Priority, theirs.Source, theirs.Destination, theirs.Tos, theirs.Table, theirs.Invert)),
                    theirs.ToString());
                Assert.That(
                    (ours.FirewallMark, ours.FirewallMask, ours.InputInterface, ours.OutputInterface, ours.SuppressPrefixLength, ours.GotoPriority),
                    Is.EqualTo((theirs.FirewallMark, theirs.FirewallMask, theirs.InputInterface, theirs.OutputInterface, theirs.SuppressPrefixLength, theirs.GotoPriority)),
                    theirs.ToString());
            });
        }

        Assert.That(deletes, Is.EqualTo(6), "iproute2 deletes every IPv4 rule but priority 0: four added, main and default");
    }

    [Test]
    public void WriteDump_Ipv4_MatchesWhatIpRuleFlushDumps()
    {
        byte[] buffer = new byte[512];
        int length = RuleMessage.WriteDump(buffer, AddressFamily.InterNetwork);
        Assert.That(Iproute2Capture.FirstDifference(Iproute2Capture.LoadMessages("rule-flush-ipv4")[0], buffer.AsSpan(0, length)), Is.EqualTo(-1));
    }

    [Test]
    public void Parse_TableAbove255_ReadsFraTable()
    {
        RuleInfo rule = ParseSingle("rule-add-table-1000");
        Assert.Multiple(() =>
        {
            Assert.That(rule.Table, Is.EqualTo(1000u));
            Assert.That(rule.Source, Is.EqualTo(IPPrefix.Parse("203.0.113.0/24")));
            Assert.That(rule.Action, Is.EqualTo(RuleAction.ToTable));
            Assert.That(rule.Family, Is.EqualTo(AddressFamily.InterNetwork));
        });
    }

    [Test]
    public void Parse_InterfacesAndProhibit_ReadsEveryField()
    {
        RuleInfo rule = ParseSingle("rule-add-iif-oif-prohibit");
        Assert.Multiple(() =>
        {
            Assert.That(rule.Priority, Is.EqualTo(2100u));
            Assert.That(rule.InputInterface, Is.EqualTo("v0"));
            Assert.That(rule.OutputInterface, Is.EqualTo("v1"));
            Assert.That(rule.Action, Is.EqualTo(RuleAction.Prohibit));
            Assert.That(rule.ToString(), Is.EqualTo("2100: from all iif v0 oif v1 prohibit"));
        });
    }

    [Test]
    public void Parse_InvertAndSuppress_ReadsFlags()
    {
        RuleInfo rule = ParseSingle("rule-add-not-suppress");
        Assert.Multiple(() =>
        {
            Assert.That(rule.Invert, Is.True);
            Assert.That(rule.SuppressPrefixLength, Is.EqualTo(0));
            Assert.That(rule.Table, Is.EqualTo(254u));
        });
    }

    [Test]
    public void Parse_FirewallMark_ReadsMarkAndMask()
    {
        RuleInfo rule = ParseSingle("rule-add-fwmark");
        Assert.Multiple(() =>
        {
            Assert.That(rule.FirewallMark, Is.EqualTo(0x10u));
            Assert.That(rule.FirewallMask, Is.EqualTo(0xffu));
        });
    }

    private static IEnumerable<TestCaseData> BadSpecs()
    {
        yield return new TestCaseData(new RuleSpec { Source = IPPrefix.Parse("198.51.100.0/32"), Destination = IPPrefix.Parse("2001:db8::/128") }).SetName("Validate_MixedFamilies_Throws");
        yield return new TestCaseData(new RuleSpec { Family = AddressFamily.InterNetworkV6, Source = IPPrefix.Parse("198.51.100.0/32") }).SetName("Validate_SourceNotOfFamily_Throws");
        yield return new TestCaseData(new RuleSpec { FirewallMask = 0xff }).SetName("Validate_MaskWithoutMark_Throws");
        yield return new TestCaseData(new RuleSpec { InputInterface = "bad/name" }).SetName("Validate_BadInputInterface_Throws");
        yield return new TestCaseData(new RuleSpec { OutputInterface = "sixteen-chars-xx" }).SetName("Validate_LongOutputInterface_Throws");
        yield return new TestCaseData(new RuleSpec { SuppressPrefixLength = 33 }).SetName("Validate_SuppressPrefixLength33_Throws");
        yield return new TestCaseData(new RuleSpec { Action = RuleAction.Blackhole, Table = 100 }).SetName("Validate_TableWithBlackhole_Throws");
        yield return new TestCaseData(new RuleSpec { Action = (RuleAction)42 }).SetName("Validate_UnknownAction_Throws");
        yield return new TestCaseData(new RuleSpec { Action = RuleAction.Goto }).SetName("Validate_GotoWithoutTarget_Throws");
        yield return new TestCaseData(new RuleSpec { Family = AddressFamily.AppleTalk }).SetName("Validate_OtherFamily_Throws");
    }

    [TestCaseSource(nameof(BadSpecs))]
    public void Validate_BadSpec_ThrowsArgumentException(RuleSpec spec)
        => Assert.Throws(Is.InstanceOf<ArgumentException>(), () => spec.Validate(forAdd: true));

    private static (ushort Type, NetlinkMessageFlags Flags, RuleInfo? Rule) ParseOne(byte[] bytes)
    {
        foreach (NetlinkMessage message in new NetlinkMessageEnumerator(bytes))
        {
            return (message.Type, message.Flags, RuleInfo.Parse(message));
        }

        throw new AssertionException("no message");
    }

    private static RuleInfo ParseSingle(string capture)
    {
        RuleInfo? rule = null;
        foreach (NetlinkMessage message in new NetlinkMessageEnumerator(Iproute2Capture.Load(capture)))
        {
            rule = RuleInfo.Parse(message);
        }

        return rule ?? throw new AssertionException("nothing parsed");
    }
}
