using System.Globalization;
using System.Text.RegularExpressions;
using LinuxNet.Genl;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Netlink;

namespace LinuxNet.IntegrationTests.Genl;

[TestFixture]
[Category("Privileged")]
public partial class GenericNetlinkSessionTests
{
    private GenlLab _lab = null!;

    [SetUp]
    public void SetUp()
    {
        Privileged.RequireRoot();
        _lab = GenlLab.Create();
    }

    [TearDown]
    public void TearDown() => _lab?.Dispose();

    [TestCase("ethtool", "monitor")]
    [TestCase("mptcp_pm", "mptcp_pm_events")]
    public void GetFamily_KnownFamily_MatchesGenlCtrlGet(string name, string group)
    {
        string genl = IpOracle.Execute(_lab.Namespace, "genl", "ctrl", "get", "name", name);
        Match header = FamilyLine().Match(genl);
        Assert.That(header.Success, Is.True, genl);

        GenericNetlinkFamily family = _lab.Session.GetFamily(name);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(family.Name, Is.EqualTo(name));
            Assert.That(family.Id, Is.EqualTo(ushort.Parse(header.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
            Assert.That(family.Version, Is.EqualTo(uint.Parse(header.Groups[2].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
            Assert.That(family.HeaderSize, Is.EqualTo(uint.Parse(header.Groups[3].Value, CultureInfo.InvariantCulture)));
            Assert.That(family.Operations.Select(o => o.Command), Is.EqualTo(CommandIds().Matches(genl).Select(m => uint.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture))));
            Assert.That(
                family.MulticastGroups.Select(g => (g.Name, g.Id)),
                Is.EquivalentTo(GroupLines().Matches(genl).Select(m => (m.Groups[2].Value, uint.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)))));
            Assert.That(family.GetMulticastGroup(group).Name, Is.EqualTo(group));
        }
    }

    [Test]
    public async Task GetFamilyAsync_SecondCall_ComesFromTheCache()
    {
        GenericNetlinkFamily first = await _lab.Session.GetFamilyAsync("ethtool");
        Assert.That(await _lab.Session.GetFamilyAsync("ethtool"), Is.SameAs(first));
        Assert.That(_lab.Session.GetFamily("ethtool"), Is.SameAs(first));
    }

    [Test]
    public void ListFamilies_MatchesGenlCtrlList()
    {
        string genl = IpOracle.Execute(_lab.Namespace, "genl", "ctrl", "list");
        var expected = NameLines().Matches(genl).Select(m => m.Groups[1].Value).ToList();
        Assert.That(expected, Does.Contain("nlctrl"), "the oracle printed no families");
        Assert.That(_lab.Session.ListFamilies().Select(f => f.Name), Is.EquivalentTo(expected));
    }

    [Test]
    public void GetFamily_Unknown_ThrowsNamingTheFamily()
    {
        NetlinkException e = Assert.Throws<NetlinkException>(() => _lab.Session.GetFamily("no_such_family"))!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Errno, Is.EqualTo(Errno.ENOENT));
            Assert.That(e.Message, Does.Contain("no family named 'no_such_family'"));
        }

        // The session stays usable.
        Assert.That(_lab.Session.GetFamily("nlctrl").Id, Is.EqualTo(NetlinkMessageType.GenericNetlinkControl));
    }

    [TestCase("")]
    [TestCase("a_family_name_too_long")]
    public void GetFamily_BadName_ThrowsBeforeAsking(string name)
        => Assert.Throws<ArgumentException>(() => _lab.Session.GetFamily(name));

    [GeneratedRegex(@"ID: 0x([0-9a-f]+)\s+Version: 0x([0-9a-f]+)\s+header size: (\d+)")]
    private static partial Regex FamilyLine();

    [GeneratedRegex(@"#\d+:\s+ID-0x([0-9a-f]+)\s*$", RegexOptions.Multiline)]
    private static partial Regex CommandIds();

    [GeneratedRegex(@"#\d+:\s+ID-0x([0-9a-f]+)\s+name: (\S+)")]
    private static partial Regex GroupLines();

    [GeneratedRegex(@"^Name: (\S+)", RegexOptions.Multiline)]
    private static partial Regex NameLines();
}
