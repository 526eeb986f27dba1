using System.Buffers.Binary;
using LinuxNet.Netlink;
using LinuxNet.Route;
using LinuxNet.Tc;

namespace LinuxNet.Tests.Tc;

/// <summary>
/// The decoders read what <c>tc</c> writes: a qdisc, class or filter message has the same layout in a request and in
/// the kernel's dump, so tc's captured requests are decoded here; and truncated or garbled messages give only
/// <see cref="NetlinkProtocolException"/>.
/// </summary>
[TestFixture]
public class TcDecoderTests
{
    private static readonly string[] Captures =
    [
        "tc-qdisc-add-tbf-latency", "tc-qdisc-change-tbf-peak", "tc-qdisc-add-htb", "tc-qdisc-add-pfifo", "tc-qdisc-add-ingress",
        "tc-class-add-htb-full", "tc-filter-add-u32-ports", "tc-filter-add-u32-mirred", "tc-filter-add-bpf-da", "tc-qdisc-add-netem",
    ];

    [Test]
    public void Parse_TcsU32Request_ReadsMatchesClassAndKey()
    {
        TcFilterInfo filter = ParseFilter("tc-filter-add-u32-ports");
        var u32 = (U32FilterOptions)filter.Options!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(filter.Kind, Is.EqualTo("u32"));
            Assert.That(filter.Priority, Is.EqualTo(2));
            Assert.That(filter.Protocol, Is.EqualTo(TcProtocol.IPv4));
            Assert.That(filter.Parent, Is.EqualTo(TcHandle.Parse("1:")));
            Assert.That(u32.ClassId, Is.EqualTo(TcHandle.Parse("1:20")));
            Assert.That(u32.IsTerminal, Is.True);
            Assert.That(u32.Matches.Select(m => m.ToString()), Is.EqualTo(new[] { "cb007101/ffffffff at 12", "00060000/00ff0000 at 8", "04000050/ffffffff at 20" }));
        }
    }

    [Test]
    public void Parse_TcsMirredRequest_ReadsTheAction()
    {
        TcActionInfo action = ((U32FilterOptions)ParseFilter("tc-filter-add-u32-mirred").Options!).Actions.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(action.Order, Is.EqualTo(1));
            Assert.That(action.Kind, Is.EqualTo("mirred"));
            Assert.That(action.MirredDirection, Is.EqualTo(MirredDirection.Egress));
            Assert.That(action.MirredMode, Is.EqualTo(MirredMode.Redirect));
            Assert.That(action.TargetIndex, Is.EqualTo(4));
            Assert.That(action.VerdictName, Is.EqualTo("stolen"));
            Assert.That(action.ToString("ifb0"), Is.EqualTo("action order 1: mirred (Egress Redirect to device ifb0) stolen"));
        }
    }

    [Test]
    public void Parse_TcsHtbAndFifoRequests_ReadOptions()
    {
        var htb = (HtbQdiscOptions)ParseQdisc("tc-qdisc-add-htb").Options!;
        var fifo = (FifoQdiscOptions)ParseQdisc("tc-qdisc-add-pfifo").Options!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(htb.RateToQuantum, Is.EqualTo(5));
            Assert.That(htb.DefaultClass, Is.EqualTo(0x10));
            Assert.That(htb.ToString(), Is.EqualTo("r2q 5 default 0x10 direct_packets_stat 0"));
            Assert.That(fifo.ToString(), Is.EqualTo("limit 100p"));
            Assert.That(ParseQdisc("tc-qdisc-add-ingress").ToString(), Is.EqualTo("qdisc ingress ffff: parent ffff:fff1 refcnt 0 ---------------- "));
        }
    }

    [Test]
    public void Parse_TruncatedOrGarbled_OnlyNetlinkProtocolException()
    {
        var random = new Random(15);
        int parsed = 0;
        foreach (string capture in Captures)
        {
            byte[] original = TcCapture.Load(capture);
            for (int length = 16; length <= original.Length; length += 4)
            {
                byte[] message = original[..length];
                BinaryPrimitives.WriteUInt32LittleEndian(message, (uint)length);
                parsed += TryParse(message);
                byte[] garbled = (byte[])message.Clone();
                for (int i = 0; i < 4 && length > 36; i++)
                {
                    garbled[36 + random.Next(length - 36)] = (byte)random.Next(256);
                }

                parsed += TryParse(garbled);
            }
        }

        Assert.That(parsed, Is.GreaterThan(0));
    }

    [Test]
    public void Schema_NamesTcMessagesAndAttributes()
    {
        RouteNetlinkSchema schema = RouteNetlinkSchema.Instance;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(schema.GetMessageTypeName(LinuxPktSched.RTM_NEWQDISC), Is.EqualTo("RTM_NEWQDISC"));
            Assert.That(schema.GetMessageTypeName(LinuxPktSched.RTM_DELTFILTER), Is.EqualTo("RTM_DELTFILTER"));
            Assert.That(schema.GetFamilyHeaderSize(LinuxPktSched.RTM_NEWTCLASS), Is.EqualTo(20));
            Assert.That(schema.GetAttributeName(LinuxPktSched.RTM_NEWQDISC, [LinuxPktSched.TCA_KIND]), Is.EqualTo("TCA_KIND"));
            Assert.That(schema.GetAttributeName(LinuxPktSched.RTM_NEWTFILTER, [LinuxPktSched.TCA_OPTIONS, 5]), Is.EqualTo("TCA_OPTIONS/5"));
        }
    }

    private static int TryParse(byte[] bytes)
    {
        try
        {
            foreach (NetlinkMessage message in new NetlinkMessageEnumerator(bytes))
            {
                _ = QdiscInfo.Parse(message) ?? (object?)TcClassInfo.Parse(message) ?? TcFilterInfo.Parse(message);
            }

            return 1;
        }
        catch (NetlinkProtocolException)
        {
            return 0;
        }
    }

    private static TcFilterInfo ParseFilter(string capture)
    {
        foreach (NetlinkMessage message in new NetlinkMessageEnumerator(TcCapture.Load(capture)))
        {
            return TcFilterInfo.Parse(message)!;
        }

        throw new InvalidOperationException("no message");
    }

    private static QdiscInfo ParseQdisc(string capture)
    {
        foreach (NetlinkMessage message in new NetlinkMessageEnumerator(TcCapture.Load(capture)))
        {
            return QdiscInfo.Parse(message)!;
        }

        throw new InvalidOperationException("no message");
    }
}
