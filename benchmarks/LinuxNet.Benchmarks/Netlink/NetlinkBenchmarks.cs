using BenchmarkDotNet.Attributes;
using LinuxNet.Netlink;

namespace LinuxNet.Benchmarks.Netlink;

/// <summary>
/// The netlink hot paths: building a request into a caller's buffer, and walking a dump reply with typed getters.
/// Both must allocate nothing (DESIGN.md: zero allocations until the caller asks for managed objects).
/// </summary>
[MemoryDiagnoser]
public class NetlinkBenchmarks
{
    private const ushort IFLA_IFNAME = 3;
    private const ushort IFLA_LINKINFO = 18;
    private const ushort IFLA_AF_SPEC = 26;

    private readonly byte[] _buffer = new byte[256];
    private byte[] _reply = [];

    [GlobalSetup]
    public void Setup() => _reply = Convert.FromHexString(LinkDumpReply.Hex);

    /// <summary><c>ip link add v0 type veth peer name v1</c> (84 bytes) into a stackalloc'd buffer.</summary>
    [Benchmark]
    public int BuildVethCreate_Stackalloc()
    {
        Span<byte> buffer = stackalloc byte[128];
        return WriteVeth(buffer);
    }

    /// <summary>The same request into a reused array.</summary>
    [Benchmark]
    public int BuildVethCreate_ReusedBuffer() => WriteVeth(_buffer);

    private static int WriteVeth(Span<byte> buffer)
    {
        var writer = new NetlinkMessageWriter(buffer);
        writer.BeginMessage(16, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack | NetlinkMessageFlags.Exclusive | NetlinkMessageFlags.Create);
        writer.WriteHeader(new IfInfoMsg());
        writer.WriteString(IFLA_IFNAME, "v0");
        NestedAttribute info = writer.BeginNested(IFLA_LINKINFO);
        writer.WriteAttribute(1, "veth"u8);
        NestedAttribute data = writer.BeginNested(2);
        NestedAttribute peer = writer.BeginNested(1);
        writer.WriteHeader(new IfInfoMsg());
        writer.WriteString(IFLA_IFNAME, "v1");
        writer.EndNested(peer);
        writer.EndNested(data);
        writer.EndNested(info);
        return writer.EndMessage();
    }

    /// <summary>
    /// Walks the whole 5-link dump reply: every message, every attribute, nests (IFLA_LINKINFO, IFLA_AF_SPEC and the
    /// per-family nests in it) recursively, each value read with the typed getter of its size. No strings are made.
    /// </summary>
    [Benchmark]
    public long ParseLinkDump_EveryAttribute()
    {
        long sum = 0;
        foreach (NetlinkMessage message in new NetlinkMessageEnumerator(_reply))
        {
            if (message.Type != 16)
            {
                continue;
            }

            sum += message.ReadHeader<IfInfoMsg>().Index;
            sum += Walk(message.GetAttributes<IfInfoMsg>(), 0);
        }

        return sum;
    }

    private static long Walk(NetlinkAttributeEnumerator attributes, int depth)
    {
        long sum = 0;
        foreach (NetlinkAttribute attribute in attributes)
        {
            sum += attribute.Type;
            if (attribute.IsNested || attribute.Type == IFLA_LINKINFO || attribute.Type == IFLA_AF_SPEC || (depth == 1 && attribute.Type is 2 or 10))
            {
                sum += Walk(attribute.EnumerateNested(), depth + 1);
                continue;
            }

            sum += attribute.Value.Length switch
            {
                1 => attribute.GetUInt8(),
                2 => attribute.GetUInt16(),
                4 => attribute.GetUInt32(),
                8 => (long)attribute.GetUInt64(),
                _ => attribute.Type == IFLA_IFNAME ? attribute.GetStringBytes().Length : attribute.Value.Length,
            };
        }

        return sum;
    }
}
