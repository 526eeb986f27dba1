using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using LinuxNet.Netlink;
using LinuxNet.Route;
using LinuxNet.Tests.Infrastructure;

namespace LinuxNet.Tests.Route.Nexthops;

[TestFixture]
public class NexthopMessagesTests
{
    // Interface index of v0 in the capture namespace (eng/capture-nexthop.sh).
    private const int V0 = 3;

    private static IEnumerable<TestCaseData> AddCases()
    {
        yield return new TestCaseData("nexthop-add-via-v4", new NexthopSpec(1) { Gateway = IPAddress.Parse("198.51.100.2"), Link = "v0" });
        yield return new TestCaseData("nexthop-add-via-v6", new NexthopSpec(2) { Gateway = IPAddress.Parse("2001:db8::2"), Link = "v0" });
        yield return new TestCaseData("nexthop-add-dev", new NexthopSpec(3) { Link = "v0" });
        yield return new TestCaseData("nexthop-add-onlink", new NexthopSpec(4) { Gateway = IPAddress.Parse("203.0.113.1"), Link = "v0", OnLink = true });
        yield return new TestCaseData("nexthop-add-blackhole", new NexthopSpec(5) { Blackhole = true });
        yield return new TestCaseData("nexthop-add-fdb", new NexthopSpec(6) { Gateway = IPAddress.Parse("198.51.100.3"), Fdb = true });
        yield return new TestCaseData("nexthop-add-group", Group(10, new NexthopGroupMember(1, 3), new NexthopGroupMember(4)));
        NexthopSpec resilient = Group(11, new NexthopGroupMember(1), new NexthopGroupMember(4, 2));
        resilient.GroupType = NexthopGroupType.Resilient;
        resilient.Buckets = 8;
        resilient.IdleTimer = TimeSpan.FromSeconds(60);
        resilient.UnbalancedTimer = TimeSpan.FromSeconds(120);
        yield return new TestCaseData("nexthop-add-resilient", resilient);
    }

    [TestCaseSource(nameof(AddCases))]
    public void Write_SameNexthopAsIproute2_ProducesIdenticalBytes(string capture, NexthopSpec spec)
    {
        spec.Validate();
        Iproute2Capture.AssertMatches(capture, Write(spec, replace: false));
    }

    [Test]
    public void Write_Replace_MatchesIproute2()
        => Iproute2Capture.AssertMatches("nexthop-replace", Write(new NexthopSpec(1) { Gateway = IPAddress.Parse("198.51.100.4"), Link = "v0" }, replace: true));

    [Test]
    public void WriteDelete_MatchesIproute2()
        => Iproute2Capture.AssertMatches("nexthop-del", Encode(11u, NexthopMessages.WriteDelete));

    [Test]
    public void WriteGet_MatchesIproute2()
        => Iproute2Capture.AssertMatches("nexthop-get", Encode(1u, NexthopMessages.WriteGet));

    [TestCase("nexthop-dump", 0, false, false)]
    [TestCase("nexthop-dump-dev", V0, false, false)]
    [TestCase("nexthop-dump-groups", 0, true, false)]
    [TestCase("nexthop-dump-fdb", 0, false, true)]
    [TestCase("nexthop-dump-master", 0, false, false, 4)]
    public void WriteDump_Filters_MatchIproute2(string capture, int link, bool groups, bool fdb, int master = 0)
        => Iproute2Capture.AssertMatches(capture, Encode(new NexthopDumpRequest(link, groups, master, fdb), NexthopMessages.WriteDump));

    [Test]
    public void WriteBucketDump_AllAndOneGroup_MatchIproute2()
    {
        Iproute2Capture.AssertMatches("nexthop-bucket-dump", Encode(default(NexthopBucketDumpRequest), NexthopMessages.WriteBucketDump));
        Iproute2Capture.AssertMatches("nexthop-bucket-dump-id", Encode(new NexthopBucketDumpRequest(11, null, 0, 0), NexthopMessages.WriteBucketDump));
        Iproute2Capture.AssertMatches("nexthop-bucket-dump-nhid", Encode(new NexthopBucketDumpRequest(null, 4, 0, 0), NexthopMessages.WriteBucketDump));
        Iproute2Capture.AssertMatches("nexthop-bucket-dump-dev", Encode(new NexthopBucketDumpRequest(null, null, V0, 0), NexthopMessages.WriteBucketDump));
    }

    [Test]
    public void WriteBucketGet_MatchesIproute2()
        => Iproute2Capture.AssertMatches("nexthop-bucket-get", Encode((11u, (ushort)0), NexthopMessages.WriteBucketGet));

    [Test]
    public void Flush_FirstDumpAndDeletes_AreIproute2s()
    {
        // ip nexthop flush: dump the groups, delete each, dump everything, delete each. Our flush writes the same requests.
        IReadOnlyList<byte[]> messages = Iproute2Capture.LoadMessages("nexthop-flush");
        AssertSame(messages[0], Encode(new NexthopDumpRequest(0, true, 0, false), NexthopMessages.WriteDump));
        AssertSame(messages[1], Encode(10u, NexthopMessages.WriteDelete));
        AssertSame(messages[2], Encode(default(NexthopDumpRequest), NexthopMessages.WriteDump));
        AssertSame(messages[3], Encode(1u, NexthopMessages.WriteDelete));
    }

    [TestCaseSource(nameof(AddCases))]
    public void Parse_OwnAddMessage_ReadsBackTheSpec(string capture, NexthopSpec spec)
    {
        byte[] bytes = Write(spec, replace: false);
        NexthopInfo info = NexthopMessages.Parse(Message(bytes))!;
        Assert.Multiple(() =>
        {
            Assert.That(info.Id, Is.EqualTo(spec.Id), capture);
            Assert.That(info.Gateway, Is.EqualTo(spec.Gateway), capture);
            Assert.That(info.LinkIndex, Is.EqualTo(spec.Link is null ? 0 : V0), capture);
            Assert.That(info.IsBlackhole, Is.EqualTo(spec.Blackhole), capture);
            Assert.That(info.IsFdb, Is.EqualTo(spec.Fdb), capture);
            Assert.That(info.Flags.HasFlag(RouteNextHopFlags.OnLink), Is.EqualTo(spec.OnLink), capture);
            Assert.That(info.Group, Is.EqualTo(spec.Group), capture);
            Assert.That(info.GroupType, Is.EqualTo(spec.GroupType), capture);
            Assert.That(info.Buckets, Is.EqualTo(spec.Buckets), capture);
            Assert.That(info.IdleTimer, Is.EqualTo(spec.IdleTimer), capture);
            Assert.That(info.UnbalancedTimer, Is.EqualTo(spec.UnbalancedTimer), capture);
            Assert.That(info.Family, Is.EqualTo(spec.IsGroup ? AddressFamily.Unspecified : spec.Gateway?.AddressFamily ?? AddressFamily.InterNetwork), capture);
        });
    }

    [Test]
    public void Parse_GroupArrayNotMultipleOf8_ThrowsProtocolException()
    {
        byte[] bytes = Write(Group(10, new NexthopGroupMember(1), new NexthopGroupMember(2)), replace: false);
        bytes[0x20] = 12; // NHA_GROUP nla_len 20 -> 12: one and a half nexthop_grp
        Assert.Throws<NetlinkProtocolException>(() => NexthopMessages.Parse(Message(bytes)));
    }

    [Test]
    public void ParseBucket_KernelShape_ReadsFields()
    {
        // RTM_NEWNEXTHOPBUCKET as the kernel sends it: NHA_ID, NHA_RES_BUCKET { INDEX, IDLE_TIME (u64), NH_ID }.
        var buffer = new byte[128];
        var writer = new NetlinkMessageWriter(buffer);
        writer.BeginMessage(LinuxNexthop.RTM_NEWNEXTHOPBUCKET, NetlinkMessageFlags.Multi);
        writer.WriteHeader(new NhMsg { Family = 0, Flags = 0 });
        writer.WriteUInt32(LinuxNexthop.NHA_ID, 11);
        NestedAttribute nest = writer.BeginNested(LinuxNexthop.NHA_RES_BUCKET);
        writer.WriteUInt16(LinuxNexthop.NHA_RES_BUCKET_INDEX, 5);
        writer.WriteUInt64(LinuxNexthop.NHA_RES_BUCKET_IDLE_TIME, 150);
        writer.WriteUInt32(LinuxNexthop.NHA_RES_BUCKET_NH_ID, 4);
        writer.EndNested(nest);
        writer.EndMessage();
        NexthopBucketInfo bucket = NexthopMessages.ParseBucket(Message(writer.WrittenSpan.ToArray()))!;
        Assert.That((bucket.GroupId, bucket.Index, bucket.IdleTime, bucket.NexthopId), Is.EqualTo((11u, 5, TimeSpan.FromSeconds(1.5), 4u)));
        Assert.That(bucket.ToString(), Is.EqualTo("id 11 index 5 idle_time 1.5 nhid 4"));
    }

    [Test]
    public void Parse_TruncatedOrRandom_ThrowsOnlyProtocolException()
    {
        byte[] good = Write(Group(11, new NexthopGroupMember(1), new NexthopGroupMember(4, 2)), replace: false);
        var random = new Random(14);
        for (int i = 0; i < 2000; i++)
        {
            byte[] bytes = (byte[])good.Clone();
            int length = random.Next(16 + 8, bytes.Length + 1);
            for (int j = 0; j < 3; j++)
            {
                bytes[random.Next(24, bytes.Length)] = (byte)random.Next(256);
            }

            try
            {
                NexthopMessages.Parse(Message(bytes.AsSpan(0, length).ToArray()));
            }
            catch (NetlinkProtocolException)
            {
            }
        }

        Assert.Pass("2000 damaged messages threw nothing but NetlinkProtocolException");
    }

    private static NexthopSpec Group(uint id, params NexthopGroupMember[] members)
    {
        var spec = new NexthopSpec(id);
        foreach (NexthopGroupMember member in members)
        {
            spec.Group.Add(member);
        }

        return spec;
    }

    private static byte[] Write(NexthopSpec spec, bool replace)
    {
        var buffer = new byte[512];
        int length = NexthopMessages.Write(buffer, spec, replace, spec.Link is null ? 0 : V0);
        return buffer.AsSpan(0, length).ToArray();
    }

    internal static byte[] Encode<T>(T argument, RequestEncoder<T> encode)
    {
        var buffer = new byte[512];
        int length = RequestPipeline.Encode(buffer, argument, encode);
        return buffer.AsSpan(0, length).ToArray();
    }

    private static void AssertSame(byte[] expected, byte[] actual)
        => Assert.That(Iproute2Capture.Hex(Iproute2Capture.Mask(actual)), Is.EqualTo(Iproute2Capture.Hex(Iproute2Capture.Mask(expected))));

    private static NetlinkMessage Message(byte[] bytes)
    {
        NetlinkHeader header = MemoryMarshal.Read<NetlinkHeader>(bytes);
        return new NetlinkMessage(header, bytes.AsSpan(16, Math.Min((int)header.Length, bytes.Length) - 16));
    }
}
