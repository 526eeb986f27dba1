using LinuxNet.Genl.Ethtool;
using LinuxNet.Netlink;

namespace LinuxNet.Tests.Genl.Ethtool;

/// <summary>The one bitset decoder, in the kernel's compact and verbose forms, with and without a mask.</summary>
[TestFixture]
public class EthtoolBitsetTests
{
    [Test]
    public void Parse_CompactWithMask_ReadsValueAndMaskBits()
    {
        EthtoolBitset set = Parse(static (ref NetlinkMessageWriter w) =>
        {
            w.WriteUInt32(LinuxEthtoolNetlink.ETHTOOL_A_BITSET_SIZE, 40);
            w.WriteAttribute(LinuxEthtoolNetlink.ETHTOOL_A_BITSET_VALUE, [0x05, 0, 0, 0, 0x80, 0, 0, 0]);
            w.WriteAttribute(LinuxEthtoolNetlink.ETHTOOL_A_BITSET_MASK, [0x07, 0, 0, 0, 0x80, 0, 0, 0]);
        });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(set.Size, Is.EqualTo(40));
            Assert.That(Enumerable.Range(0, 40).Where(set.Value), Is.EqualTo(new[] { 0, 2, 39 }));
            Assert.That(Enumerable.Range(0, 40).Where(set.InMask), Is.EqualTo(new[] { 0, 1, 2, 39 }));
            Assert.That(set.Value(1000), Is.False);
        }
    }

    [Test]
    public void Parse_CompactNoMask_EveryBitIsInTheMask()
    {
        EthtoolBitset set = Parse(static (ref NetlinkMessageWriter w) =>
        {
            w.WriteFlag(LinuxEthtoolNetlink.ETHTOOL_A_BITSET_NOMASK);
            w.WriteUInt32(LinuxEthtoolNetlink.ETHTOOL_A_BITSET_SIZE, 3);
            w.WriteAttribute(LinuxEthtoolNetlink.ETHTOOL_A_BITSET_VALUE, [0x02, 0, 0, 0]);
        });
        Assert.That((set.NoMask, set.Value(0), set.Value(1), set.InMask(0), set.InMask(2), set.InMask(3)), Is.EqualTo((true, false, true, true, true, false)));
    }

    [Test]
    public void Parse_Verbose_ReadsNamesAndValues()
    {
        EthtoolBitset set = Parse(static (ref NetlinkMessageWriter w) =>
        {
            w.WriteUInt32(LinuxEthtoolNetlink.ETHTOOL_A_BITSET_SIZE, 8);
            NestedAttribute bits = w.BeginNested(LinuxEthtoolNetlink.ETHTOOL_A_BITSET_BITS);
            WriteBit(ref w, 1, "10baseT/Full", on: true);
            WriteBit(ref w, 5, "1000baseT/Full", on: false);
            w.EndNested(bits);
        });
        using (Assert.EnterMultipleScope())
        {
            Assert.That((set.Name(1), set.Value(1), set.InMask(1)), Is.EqualTo(("10baseT/Full", true, true)));
            Assert.That((set.Name(5), set.Value(5), set.InMask(5)), Is.EqualTo(("1000baseT/Full", false, true)));
            Assert.That((set.Name(2), set.InMask(2)), Is.EqualTo(((string?)null, false)));
        }
    }

    [Test]
    public void Parse_VerboseNoMask_ListedBitsAreSet()
    {
        EthtoolBitset set = Parse(static (ref NetlinkMessageWriter w) =>
        {
            w.WriteFlag(LinuxEthtoolNetlink.ETHTOOL_A_BITSET_NOMASK);
            NestedAttribute bits = w.BeginNested(LinuxEthtoolNetlink.ETHTOOL_A_BITSET_BITS);
            WriteBit(ref w, 3, "flag-a", on: false);
            w.EndNested(bits);
        });
        Assert.That((set.Value(3), set.Name(3), set.Size), Is.EqualTo((true, "flag-a", 4)));
    }

    private delegate void Body(ref NetlinkMessageWriter writer);

    private static void WriteBit(ref NetlinkMessageWriter w, uint index, string name, bool on)
    {
        NestedAttribute bit = w.BeginNested(LinuxEthtoolNetlink.ETHTOOL_A_BITSET_BITS_BIT);
        w.WriteUInt32(LinuxEthtoolNetlink.ETHTOOL_A_BITSET_BIT_INDEX, index);
        w.WriteString(LinuxEthtoolNetlink.ETHTOOL_A_BITSET_BIT_NAME, name);
        if (on)
        {
            w.WriteFlag(LinuxEthtoolNetlink.ETHTOOL_A_BITSET_BIT_VALUE);
        }

        w.EndNested(bit);
    }

    private static EthtoolBitset Parse(Body body)
    {
        byte[] buffer = new byte[512];
        var writer = new NetlinkMessageWriter(buffer);
        writer.BeginMessage(21, NetlinkMessageFlags.None);
        writer.WriteHeader(new GenlMsgHdr { Cmd = LinuxEthtoolNetlink.ETHTOOL_MSG_FEATURES_GET_REPLY });
        NestedAttribute set = writer.BeginNested(LinuxEthtoolNetlink.ETHTOOL_A_FEATURES_ACTIVE);
        body(ref writer);
        writer.EndNested(set);
        int length = writer.EndMessage();
        foreach (NetlinkMessage message in new NetlinkMessageEnumerator(buffer.AsSpan(0, length)))
        {
            foreach (NetlinkAttribute attribute in message.GetAttributes<GenlMsgHdr>())
            {
                return EthtoolBitset.Parse(attribute);
            }
        }

        throw new InvalidOperationException("no bitset written");
    }
}
