using System.Net.NetworkInformation;
using BenchmarkDotNet.Attributes;
using LinuxNet.Netlink;
using LinuxNet.Route;

namespace LinuxNet.Benchmarks.Route;

/// <summary>
/// The link hot paths without a kernel: building a veth-create request (as <c>ip link add v0 type veth peer name v1</c>),
/// and parsing a link-dump reply of 50 links with ~50 top-level attributes each (about what the kernel sends per
/// link), once into spans only and once into <see cref="LinkInfo"/> objects.
/// </summary>
[MemoryDiagnoser]
public class LinkBenchmarks
{
    private const int Links = 50;

    private readonly byte[] _request = new byte[LinkMessages.RequestBufferSize];
    private readonly VethLinkSpec _veth = new("v0", "v1") { Mtu = 1400, Address = PhysicalAddress.Parse("02-00-00-00-00-01") };
    private readonly List<LinkInfo> _parsed = new(Links);
    private byte[] _reply = [];

    [GlobalSetup]
    public void Setup()
    {
        var buffer = new byte[Links * 2048];
        var writer = new NetlinkMessageWriter(buffer);
        byte[] mac = [2, 0, 0, 0, 0, 1];
        byte[] broadcast = [255, 255, 255, 255, 255, 255];
        for (int i = 1; i <= Links; i++)
        {
            writer.BeginMessage(LinuxRtnetlink.RTM_NEWLINK, NetlinkMessageFlags.Multi);
            writer.WriteHeader(new IfInfoMsg { Type = 1, Index = i, Flags = 0x11043 });
            writer.WriteString(LinuxIfLink.IFLA_IFNAME, "veth" + i);
            writer.WriteUInt32(LinuxIfLink.IFLA_TXQLEN, 1000);
            writer.WriteUInt8(LinuxIfLink.IFLA_OPERSTATE, 6);
            writer.WriteUInt8(LinuxIfLink.IFLA_LINKMODE, 0);
            writer.WriteUInt32(LinuxIfLink.IFLA_MTU, 1500);
            writer.WriteUInt32(LinuxIfLink.IFLA_MIN_MTU, 68);
            writer.WriteUInt32(LinuxIfLink.IFLA_MAX_MTU, 65535);
            writer.WriteUInt32(LinuxIfLink.IFLA_GROUP, 0);
            writer.WriteUInt32(LinuxIfLink.IFLA_PROMISCUITY, 0);
            writer.WriteUInt32(LinuxIfLink.IFLA_ALLMULTI, 0);
            writer.WriteUInt32(LinuxIfLink.IFLA_NUM_TX_QUEUES, 1);
            writer.WriteUInt32(LinuxIfLink.IFLA_GSO_MAX_SEGS, 65535);
            writer.WriteUInt32(LinuxIfLink.IFLA_GSO_MAX_SIZE, 65536);
            writer.WriteUInt32(LinuxIfLink.IFLA_GRO_MAX_SIZE, 65536);
            writer.WriteUInt32(LinuxIfLink.IFLA_TSO_MAX_SIZE, 524280);
            writer.WriteUInt32(LinuxIfLink.IFLA_TSO_MAX_SEGS, 65535);
            writer.WriteUInt32(LinuxIfLink.IFLA_NUM_RX_QUEUES, 1);
            writer.WriteUInt8(LinuxIfLink.IFLA_CARRIER, 1);
            writer.WriteString(LinuxIfLink.IFLA_QDISC, "noqueue");
            writer.WriteUInt32(LinuxIfLink.IFLA_CARRIER_CHANGES, 2);
            writer.WriteUInt32(LinuxIfLink.IFLA_CARRIER_UP_COUNT, 1);
            writer.WriteUInt32(LinuxIfLink.IFLA_CARRIER_DOWN_COUNT, 1);
            writer.WriteUInt8(LinuxIfLink.IFLA_PROTO_DOWN, 0);
            writer.WriteAttribute(LinuxIfLink.IFLA_MAP, new byte[32]);
            writer.WriteAttribute(LinuxIfLink.IFLA_ADDRESS, mac);
            writer.WriteAttribute(LinuxIfLink.IFLA_BROADCAST, broadcast);
            writer.WriteAttribute(LinuxIfLink.IFLA_STATS64, new byte[200]);
            writer.WriteAttribute(LinuxIfLink.IFLA_STATS, new byte[96]);
            NestedAttribute xdp = writer.BeginNested(LinuxIfLink.IFLA_XDP);
            writer.WriteUInt8(1, 0);
            writer.EndNested(xdp);
            NestedAttribute info = writer.BeginNested(LinuxIfLink.IFLA_LINKINFO);
            writer.WriteString(LinuxIfLink.IFLA_INFO_KIND, "veth");
            writer.EndNested(info);
            writer.WriteUInt32(LinuxIfLink.IFLA_LINK, (uint)(i % Links + 1));
            for (ushort filler = 62; filler < 62 + 18; filler++)
            {
                writer.WriteUInt32(filler, filler); // attributes a newer kernel adds: skipped by the parser
            }

            writer.EndMessage();
        }

        _reply = writer.WrittenSpan.ToArray();
    }

    [Benchmark]
    public int BuildVethCreate()
    {
        var writer = new NetlinkMessageWriter(_request);
        LinkMessages.WriteCreate(ref writer, _veth, 0, -1);
        return writer.BytesWritten;
    }

    [Benchmark]
    public long ParseDumpToSpans()
    {
        long sum = 0;
        foreach (NetlinkMessage message in new NetlinkMessageEnumerator(_reply))
        {
            sum += message.ReadHeader<IfInfoMsg>().Index;
            foreach (NetlinkAttribute attribute in message.GetAttributes<IfInfoMsg>())
            {
                switch (attribute.Type)
                {
                    case LinuxIfLink.IFLA_IFNAME: sum += attribute.GetStringBytes().Length; break;
                    case LinuxIfLink.IFLA_MTU: sum += attribute.GetUInt32(); break;
                    case LinuxIfLink.IFLA_OPERSTATE: sum += attribute.GetUInt8(); break;
                    case LinuxIfLink.IFLA_ADDRESS: sum += attribute.Value[5]; break;
                    case LinuxIfLink.IFLA_STATS64: sum += (long)attribute.GetStruct<RtnlLinkStats64>().RxBytes; break;
                    case LinuxIfLink.IFLA_LINKINFO:
                        foreach (NetlinkAttribute nested in attribute.EnumerateNested())
                        {
                            sum += nested.Value.Length;
                        }

                        break;
                    default: sum++; break;
                }
            }
        }

        return sum;
    }

    [Benchmark]
    public int ParseDumpToLinkInfo()
    {
        _parsed.Clear();
        foreach (NetlinkMessage message in new NetlinkMessageEnumerator(_reply))
        {
            _parsed.Add(LinkMessages.Parse(message));
        }

        return _parsed.Count;
    }
}
