using System.Runtime.InteropServices;
using LinuxNet.Netlink;
using LinuxNet.Route;
using LinuxNet.Tests.Infrastructure;
using LinuxNet.Tests.Route.Nexthops;

namespace LinuxNet.Tests.Route.Links;

[TestFixture]
public class LinkAlternativeNameTests
{
    private const int V0 = 3;

    [Test]
    public void WriteAlternativeNames_AddOne_MatchesIproute2()
        => Iproute2Capture.AssertMatches("link-property-add-altname", NexthopMessagesTests.Encode((V0, true, new[] { "v0-alternative-name-long" }), LinkMessages.WriteAlternativeNames));

    [Test]
    public void WriteAlternativeNames_AddTwo_MatchesIproute2()
        => Iproute2Capture.AssertMatches("link-property-add-two", NexthopMessagesTests.Encode((V0, true, new[] { "alt0", "alt1" }), LinkMessages.WriteAlternativeNames));

    [Test]
    public void WriteAlternativeNames_Delete_MatchesIproute2()
        => Iproute2Capture.AssertMatches("link-property-del-altname", NexthopMessagesTests.Encode((V0, false, new[] { "v0-alternative-name-long" }), LinkMessages.WriteAlternativeNames));

    [Test]
    public void WriteGet_LongAlternativeName_UsesIflaAltIfnameAsIproute2()
        => Iproute2Capture.AssertMatches("link-get-by-long-altname", NexthopMessagesTests.Encode("v0-alternative-name-long", LinkMessages.WriteGet));

    [Test]
    public void WriteLookup_LongAlternativeName_UsesIflaAltIfnameAsIproute2()
        => Iproute2Capture.AssertMatches("link-lookup-by-long-altname", NexthopMessagesTests.Encode("v0-alternative-name-long", LinkMessages.WriteLookup));

    [Test]
    public void WriteGet_ShortAlternativeName_UsesIflaIfnameAsIproute2()
        => Iproute2Capture.AssertMatches("link-get-by-short-altname", NexthopMessagesTests.Encode("alt0", LinkMessages.WriteGet));

    [Test]
    public void Parse_PropList_ReadsAlternativeNames()
    {
        // A link message as the kernel sends it, cut to what matters: IFLA_IFNAME and IFLA_PROP_LIST { ALT_IFNAME, ALT_IFNAME }.
        var buffer = new byte[256];
        var writer = new NetlinkMessageWriter(buffer);
        writer.BeginMessage(LinuxRtnetlink.RTM_NEWLINK, NetlinkMessageFlags.None);
        writer.WriteHeader(new IfInfoMsg { Index = V0 });
        writer.WriteString(LinuxIfLink.IFLA_IFNAME, "v0");
        NestedAttribute list = writer.BeginNested(LinuxIfLink.IFLA_PROP_LIST);
        writer.WriteString(LinuxIfLink.IFLA_ALT_IFNAME, "alt0");
        writer.WriteString(LinuxIfLink.IFLA_ALT_IFNAME, "v0-alternative-name-long");
        writer.EndNested(list);
        writer.EndMessage();
        byte[] bytes = writer.WrittenSpan.ToArray();
        LinkInfo link = LinkMessages.Parse(new NetlinkMessage(MemoryMarshal.Read<NetlinkHeader>(bytes), bytes.AsSpan(16)));
        Assert.That(link.AlternativeNames, Is.EqualTo(new[] { "alt0", "v0-alternative-name-long" }));
    }

    [TestCase("")]
    [TestCase("has space")]
    [TestCase("has/slash")]
    [TestCase("tab\tname")]
    public void Validate_BadAlternativeName_Throws(string name)
        => Assert.Throws<ArgumentException>(() => AlternativeName.Validate(name, "name"));

    [Test]
    public void Validate_Over127Bytes_ThrowsAnd127Passes()
    {
        Assert.Throws<ArgumentException>(() => AlternativeName.Validate(new string('a', 128), "name"));
        Assert.DoesNotThrow(() => AlternativeName.Validate(new string('a', 127), "name"));
        Assert.Throws<ArgumentException>(() => AlternativeName.Validate(new string('é', 64), "name"), "128 bytes of UTF-8");
    }

    [Test]
    public void LinkReference_LongNameUpTo127Bytes_IsValid()
    {
        Assert.DoesNotThrow(() => LinkReference.FromName(new string('a', 127)).Validate("link", allowAlternativeName: true));
        Assert.Throws<ArgumentException>(() => LinkReference.FromName(new string('a', 128)).Validate("link", allowAlternativeName: true));
        Assert.DoesNotThrow(() => LinkReference.FromName("ab:cd").Validate("link", allowAlternativeName: true), "the kernel takes ':' in an alternative name");
        Assert.Throws<ArgumentException>(() => LinkReference.FromName("..").Validate("link", allowAlternativeName: true));
        Assert.Throws<ArgumentException>(() => LinkReference.FromName(new string('a', 16)).Validate("link"), "specs other than links keep the interface-name rules");
    }
}
