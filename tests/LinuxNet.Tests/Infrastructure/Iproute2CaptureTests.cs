using System.Buffers.Binary;
using System.Text;

namespace LinuxNet.Tests.Infrastructure;

/// <summary>
/// Checks the iproute2 golden captures themselves (and the loader), independently of LinuxNet's own
/// message reader: every file parses, every nlmsg_len matches, and every attribute walk adds up.
/// </summary>
public class Iproute2CaptureTests
{
    // The captures the brief asks for; a missing one means the capture script or the copy to the output failed.
    private static readonly string[] Required =
    [
        "link-dump", "link-get", "link-get-by-name", "link-add-veth", "link-add-bridge", "link-add-vxlan",
        "link-add-vlan", "link-add-macvlan", "link-add-dummy", "link-add-bond", "link-add-ipvlan", "link-add-wireguard",
        "link-set-mtu", "link-set-up", "link-set-netns", "link-del", "addr-add-ipv4", "addr-add-ipv6", "addr-dump",
        "route-add-ipv4-via", "route-add-ipv4-multipath", "route-add-ipv6-via", "route-dump", "neigh-add",
        "rule-add-from", "rule-add-fwmark",
        "link-set-down", "addr-del-ipv4", "route-add-table-1000", "route-del-ipv4-via", "rule-add-table-1000",
    ];

    // Kernel values, written out here so this walk does not depend on LinuxNet's constants.
    private const ushort RTM_NEWLINK = 16, RTM_DELRULE = 33;
    private const ushort IFLA_LINKINFO = 18, IFLA_INFO_KIND = 1, IFLA_INFO_DATA = 2, VETH_INFO_PEER = 1;
    private const ushort RTA_MULTIPATH = 9;
    private const int IfInfoMsgLength = 16;

    private static IEnumerable<string> Names() => Iproute2Capture.Names();

    [Test]
    public void Names_AllRequiredCapturesPresent()
    {
        Assert.That(Iproute2Capture.Names(), Is.SupersetOf(Required));
    }

    [TestCaseSource(nameof(Names))]
    public void LoadMessages_EachCapture_NlmsgLenEqualsMessageSize(string name)
    {
        byte[] all = Iproute2Capture.Load(name);
        IReadOnlyList<byte[]> messages = Iproute2Capture.LoadMessages(name);
        Assert.Multiple(() =>
        {
            Assert.That(messages, Is.Not.Empty);
            Assert.That(messages.Select(m => (int)BinaryPrimitives.ReadUInt32LittleEndian(m)), Is.EqualTo(messages.Select(m => m.Length)));
            Assert.That(messages.Select(m => m.Length % 4), Is.All.EqualTo(0), "iproute2 always sends NLMSG_ALIGNed lengths");
            Assert.That(messages.Sum(m => m.Length), Is.EqualTo(all.Length));
            Assert.That(Iproute2Capture.Header(name, "messages"), Is.EqualTo(messages.Count.ToString()));
        });
    }

    [TestCaseSource(nameof(Names))]
    public void LoadMessages_EachCapture_AttributesAddUp(string name)
    {
        foreach (byte[] message in Iproute2Capture.LoadMessages(name))
        {
            ushort type = BinaryPrimitives.ReadUInt16LittleEndian(message.AsSpan(4));
            int familyHeader = FamilyHeaderLength(type);
            Assert.That(message, Has.Length.AtLeast(16 + familyHeader), $"type {type}: family header truncated");
            WalkAttributes(message, 16 + familyHeader, message.Length, type, kind: null);
        }
    }

    [TestCaseSource(nameof(Names))]
    public void Command_EachCapture_IsAnIpCommandLine(string name)
    {
        Assert.That(Iproute2Capture.Command(name), Does.StartWith("ip ").Or.StartWith("bridge "), "an iproute2 command line (ip, or bridge for the FDB captures)");
    }

    [Test]
    public void Command_LinkAddVeth_ReturnsExactCommandLine()
    {
        Assert.That(Iproute2Capture.Command("link-add-veth"), Is.EqualTo("ip link add v0 type veth peer name v1"));
    }

    [Test]
    public void Load_LinkAddVeth_StartsWithNewLinkHeaderAndIfName()
    {
        byte[] bytes = Iproute2Capture.Load("link-add-veth");
        Assert.Multiple(() =>
        {
            Assert.That(bytes, Has.Length.EqualTo(84));
            Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(4)), Is.EqualTo(RTM_NEWLINK));
            Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(6)), Is.EqualTo(0x605), "REQUEST|ACK|EXCL|CREATE");
            Assert.That(bytes.AsSpan(32, 8).ToArray(), Is.EqualTo(new byte[] { 7, 0, 3, 0, (byte)'v', (byte)'0', 0, 0 }));
        });
    }

    [Test]
    public void Mask_TwoMessages_ZeroesSequenceAndPortOfEachAndNothingElse()
    {
        byte[] original = Iproute2Capture.Load("addr-dump");
        int second = (int)BinaryPrimitives.ReadUInt32LittleEndian(original);
        byte[] masked = Iproute2Capture.Mask(original);
        Assert.Multiple(() =>
        {
            Assert.That(Iproute2Capture.LoadMessages("addr-dump"), Has.Count.EqualTo(2));
            Assert.That(masked.AsSpan(8, 8).ToArray(), Is.All.Zero);
            Assert.That(masked.AsSpan(second + 8, 8).ToArray(), Is.All.Zero);
            var maskedOffsets = Enumerable.Range(8, 8).Concat(Enumerable.Range(second + 8, 8)).ToHashSet();
            for (int i = 0; i < original.Length; i++)
            {
                if (!maskedOffsets.Contains(i))
                {
                    Assert.That(masked[i], Is.EqualTo(original[i]), $"byte {i}");
                }
            }

            Assert.That(original.AsSpan(8, 4).ToArray(), Is.Not.All.Zero, "captured nlmsg_seq is time-derived, so non-zero");
        });
    }

    [Test]
    public void FirstDifference_OnlySequenceAndPortDiffer_ReturnsMinusOne()
    {
        byte[] expected = Iproute2Capture.Load("route-add-ipv4-via");
        byte[] actual = (byte[])expected.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(actual.AsSpan(8), 12345);
        BinaryPrimitives.WriteUInt32LittleEndian(actual.AsSpan(12), 678);
        Assert.That(Iproute2Capture.FirstDifference(expected, actual), Is.EqualTo(-1));
    }

    [Test]
    public void FirstDifference_PayloadByteDiffers_ReturnsItsOffset()
    {
        byte[] expected = Iproute2Capture.Load("route-add-ipv4-via");
        byte[] actual = (byte[])expected.Clone();
        actual[^1] ^= 1;
        Assert.That(Iproute2Capture.FirstDifference(expected, actual), Is.EqualTo(expected.Length - 1));
    }

    [Test]
    public void FirstDifference_ActualIsPrefix_ReturnsItsLength()
    {
        byte[] expected = Iproute2Capture.Load("addr-dump");
        byte[] first = Iproute2Capture.LoadMessages("addr-dump")[0];
        Assert.That(Iproute2Capture.FirstDifference(expected, first), Is.EqualTo(first.Length));
    }

    [Test]
    public void SetNestedFlag_LinkInfoOffset_SetsBit15OfThatTypeOnly()
    {
        byte[] original = Iproute2Capture.Load("link-add-bridge");
        byte[] flagged = Iproute2Capture.SetNestedFlag(original, 0x28);
        Assert.Multiple(() =>
        {
            Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(flagged.AsSpan(0x2a)), Is.EqualTo(IFLA_LINKINFO | 0x8000));
            Assert.That(Iproute2Capture.FirstDifference(original, flagged), Is.EqualTo(0x2b));
            Assert.That(flagged.Where((b, i) => i != 0x2b), Is.EqualTo(original.Where((b, i) => i != 0x2b)));
        });
    }

    [Test]
    public void Parse_CommentsAndBlankLines_AreIgnored()
    {
        const string text = "# command: ip x\n\n10 00 00 00 01 00  02 00\n  # 0000 note\n03 00 00 00 04 00 00 00\n";
        Assert.That(Iproute2Capture.Parse(text), Is.EqualTo(new byte[] { 0x10, 0, 0, 0, 1, 0, 2, 0, 3, 0, 0, 0, 4, 0, 0, 0 }));
    }

    [TestCase("10 0g")]
    [TestCase("100")]
    [TestCase("10 0")]
    public void Parse_MalformedHexToken_ThrowsFormatException(string line)
    {
        Assert.That(() => Iproute2Capture.Parse("# c\n" + line + "\n"), Throws.TypeOf<FormatException>().With.Message.Contains("line 2"));
    }

    [Test]
    public void Split_LengthPastBuffer_ThrowsFormatException()
    {
        byte[] bytes = new byte[16];
        bytes[0] = 20;
        Assert.That(() => Iproute2Capture.Split(bytes), Throws.TypeOf<FormatException>());
    }

    [Test]
    public void Load_UnknownName_ThrowsFileNotFound()
    {
        Assert.That(() => Iproute2Capture.Load("no-such-capture"), Throws.TypeOf<FileNotFoundException>());
    }

    private static int FamilyHeaderLength(ushort type) => type switch
    {
        >= 16 and <= 19 => 16,               // RTM_*LINK: struct ifinfomsg
        >= 20 and <= 23 => 8,                // RTM_*ADDR: struct ifaddrmsg
        >= 24 and <= 27 => 12,               // RTM_*ROUTE: struct rtmsg
        >= 28 and <= 30 => 12,               // RTM_*NEIGH: struct ndmsg
        >= 32 and <= RTM_DELRULE + 1 => 12,  // RTM_*RULE: struct fib_rule_hdr
        >= 88 and <= 90 => 4,                // RTM_*NSID: struct rtgenmsg, padded to 4
        >= 104 and <= 106 => 8,              // RTM_*NEXTHOP: struct nhmsg
        >= 108 and <= 110 => 16,             // RTM_*LINKPROP: struct ifinfomsg
        >= 116 and <= 118 => 8,              // RTM_*NEXTHOPBUCKET: struct nhmsg
        _ => throw new AssertionException($"no family header known for message type {type}"),
    };

    // Walks nlattrs in [start, end): each nla_len >= 4, within bounds, advancing by NLA_ALIGN, ending exactly at end.
    // Descends into the nests iproute2 sends: IFLA_LINKINFO, IFLA_INFO_DATA (VETH_INFO_PEER = ifinfomsg + IFLA_*),
    // and RTA_MULTIPATH (struct rtnexthop records, each followed by RTA_* attributes).
    private static void WalkAttributes(byte[] m, int start, int end, ushort messageType, string? kind, int depth = 0)
    {
        int offset = start;
        while (offset < end)
        {
            Assert.That(end - offset, Is.GreaterThanOrEqualTo(4), $"truncated nlattr header at {offset}");
            int length = BinaryPrimitives.ReadUInt16LittleEndian(m.AsSpan(offset));
            ushort type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(m.AsSpan(offset + 2)) & 0x3fff);
            Assert.That(length, Is.InRange(4, end - offset), $"nla_len at {offset}");
            int payload = offset + 4, payloadEnd = offset + length;
            bool link = messageType is >= 16 and <= 19;
            if (link && depth == 0 && type == IFLA_LINKINFO)
            {
                WalkAttributes(m, payload, payloadEnd, messageType, kind: null, depth: 1);
            }
            else if (link && depth == 1 && type == IFLA_INFO_KIND)
            {
                kind = Encoding.ASCII.GetString(m, payload, length - 4).TrimEnd('\0');
            }
            else if (link && depth == 1 && type == IFLA_INFO_DATA && kind is not null)
            {
                WalkAttributes(m, payload, payloadEnd, messageType, kind, depth: 2);
            }
            else if (link && depth == 2 && kind == "veth" && type == VETH_INFO_PEER)
            {
                Assert.That(length - 4, Is.AtLeast(IfInfoMsgLength), "VETH_INFO_PEER starts with struct ifinfomsg");
                WalkAttributes(m, payload + IfInfoMsgLength, payloadEnd, messageType, kind: null, depth: 3);
            }
            else if (messageType is >= 24 and <= 27 && depth == 0 && type == RTA_MULTIPATH)
            {
                int hop = payload;
                while (hop < payloadEnd)
                {
                    int hopLength = BinaryPrimitives.ReadUInt16LittleEndian(m.AsSpan(hop));
                    Assert.That(hopLength, Is.InRange(8, payloadEnd - hop), $"rtnh_len at {hop}");
                    WalkAttributes(m, hop + 8, hop + hopLength, messageType, kind: null, depth: 1);
                    hop += (hopLength + 3) & ~3;
                }

                Assert.That(hop, Is.EqualTo(payloadEnd), "rtnexthop records fill RTA_MULTIPATH");
            }

            offset += (length + 3) & ~3;
        }

        Assert.That(offset, Is.EqualTo(end), $"attributes starting at {start} end exactly at {end}");
    }
}
