using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using LinuxNet.Netlink;

namespace LinuxNet.CompatTests;

/// <summary>
/// Netlink as a public extension point (issue 11 item 6): generic netlink's <c>nlctrl</c>, a family LinuxNet does not
/// wrap, spoken with the public writer, reader and socket only. This project has no InternalsVisibleTo, so the compiler
/// proves nothing internal is used; <c>genl ctrl</c> (iproute2) is the oracle. Read-only: nothing is changed.
/// </summary>
public partial class GenericNetlinkTests
{
    // /usr/include/linux/genetlink.h
    private const byte CTRL_CMD_GETFAMILY = 3;
    private const ushort CTRL_ATTR_FAMILY_ID = 1;
    private const ushort CTRL_ATTR_FAMILY_NAME = 2;
    private const ushort CTRL_ATTR_VERSION = 3;

    /// <summary><c>struct genlmsghdr</c>: the family header of every generic netlink message.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct GenericNetlinkHeader
    {
        public byte Command;
        public byte Version;
        public ushort Reserved;
    }

    private sealed class Family
    {
        public ushort Id;
        public uint Version;
        public string? Name;
    }

    private static byte[] GetFamilyRequest(string? name)
    {
        byte[] buffer = new byte[64];
        var writer = new NetlinkMessageWriter(buffer);
        NetlinkMessageFlags flags = name is null ? NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump : NetlinkMessageFlags.Request;
        writer.BeginMessage(NetlinkMessageType.GenericNetlinkControl, flags);
        writer.WriteHeader(new GenericNetlinkHeader { Command = CTRL_CMD_GETFAMILY, Version = 1 });
        if (name is not null)
        {
            writer.WriteString(CTRL_ATTR_FAMILY_NAME, name);
        }

        return buffer.AsSpan(0, writer.EndMessage()).ToArray();
    }

    private static void ReadFamily(NetlinkMessage message, List<Family> families)
    {
        var family = new Family();
        foreach (NetlinkAttribute attribute in message.GetAttributes<GenericNetlinkHeader>())
        {
            switch (attribute.Type)
            {
                case CTRL_ATTR_FAMILY_ID:
                    family.Id = attribute.GetUInt16();
                    break;
                case CTRL_ATTR_FAMILY_NAME:
                    family.Name = attribute.GetString();
                    break;
                case CTRL_ATTR_VERSION:
                    family.Version = attribute.GetUInt32();
                    break;
            }
        }

        families.Add(family);
    }

    private static string Genl(params string[] args)
    {
        var start = new ProcessStartInfo("genl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        Assert.That(process.WaitForExit(10_000), Is.True, "genl did not finish");
        return output;
    }

    [GeneratedRegex(@"Name: (\S+)\s+ID: 0x([0-9a-f]+)\s+Version: 0x([0-9a-f]+)")]
    private static partial Regex GenlFamilyLine();

    private static Dictionary<string, (ushort Id, uint Version)> GenlFamilies(string text)
        => GenlFamilyLine().Matches(text).ToDictionary(
            m => m.Groups[1].Value,
            m => (ushort.Parse(m.Groups[2].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture), uint.Parse(m.Groups[3].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)));

    [Test]
    public void GetFamily_Ethtool_ReturnsTheIdAndVersionGenlPrints()
    {
        Dictionary<string, (ushort Id, uint Version)> expected = GenlFamilies(Genl("ctrl", "get", "name", "ethtool"));
        if (!expected.ContainsKey("ethtool"))
        {
            Assert.Ignore("this kernel has no ethtool generic netlink family");
        }

        using NetlinkSocket socket = NetlinkSocket.Open(NetlinkProtocol.Generic);
        var families = new List<Family>();
        int count = socket.Query(GetFamilyRequest("ethtool"), families, ReadFamily);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(count, Is.EqualTo(1));
            Assert.That(families.Single().Name, Is.EqualTo("ethtool"));
            Assert.That((families.Single().Id, families.Single().Version), Is.EqualTo(expected["ethtool"]));
        }
    }

    [Test]
    public void Dump_AllFamilies_MatchGenlCtrlList()
    {
        // A dump is recognised by NLM_F_DUMP in the request, whatever its type: nlctrl's is 0x10, which rtnetlink's
        // numbering rule ((type & 3) == 2) would not call a GET.
        Dictionary<string, (ushort Id, uint Version)> expected = GenlFamilies(Genl("ctrl", "list"));
        using NetlinkSocket socket = NetlinkSocket.Open(NetlinkProtocol.Generic);
        var families = new List<Family>();
        NetlinkDumpResult result = socket.Dump(GetFamilyRequest(null), families, ReadFamily, static list => list.Clear());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.IsConsistent, Is.True);
            Assert.That(expected, Has.Count.GreaterThan(1), "genl listed no families: the oracle failed");
            Assert.That(families.ToDictionary(f => f.Name!, f => (f.Id, f.Version)), Is.EquivalentTo(expected));
        }
    }

    [Test]
    public void GetFamily_Unknown_ThrowsWithTheKernelsErrno()
    {
        using NetlinkSocket socket = NetlinkSocket.Open(NetlinkProtocol.Generic);
        NetlinkException e = Assert.Throws<NetlinkException>(() => socket.Query(GetFamilyRequest("no-such-family"), new List<Family>(), ReadFamily))!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Errno, Is.EqualTo(Errno.ENOENT));
            Assert.That(e.MessageType, Is.EqualTo(NetlinkMessageType.GenericNetlinkControl));
        }

        // The socket stays usable after a refusal.
        Assert.That(socket.Query(GetFamilyRequest("nlctrl"), new List<Family>(), ReadFamily), Is.EqualTo(1));
    }
}
