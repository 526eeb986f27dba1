using System.Buffers.Binary;
using LinuxNet.Netlink;
using LinuxNet.Route;
using LinuxNet.Tc;
using LinuxNet.Tests.Infrastructure;

namespace LinuxNet.Tests.Tc;

/// <summary>
/// The <c>tc</c> captures in TestData/tc (eng/capture-tc.sh; the file format of TestData/iproute2). Requests are
/// encoded with the capture's own interface index and scheduler clock (its <c>psched</c> header), so the rate tables
/// are those of the capture's kernel; nlmsg_seq and nlmsg_pid are masked as for every capture.
/// </summary>
internal static class TcCapture
{
    private static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "tc", name + ".txt");

    /// <summary>The stored request bytes of capture <paramref name="name"/>.</summary>
    public static byte[] Load(string name) => Iproute2Capture.Parse(File.ReadAllText(PathOf(name)));

    /// <summary>The command line the capture was taken from.</summary>
    public static string Command(string name) => Header(name, "command");

    /// <summary>The tcm_ifindex of the stored request.</summary>
    public static int LinkIndex(string name) => BinaryPrimitives.ReadInt32LittleEndian(Load(name).AsSpan(20));

    /// <summary>The scheduler clock of the capture's kernel (the <c>psched</c> part of its iproute2 header).</summary>
    public static PacketSchedulerClock Clock(string name)
    {
        string line = Header(name, "iproute2");
        int at = line.IndexOf("psched ", StringComparison.Ordinal);
        Assert.That(at, Is.GreaterThan(0), $"capture '{name}' has no psched in its header");
        return PacketSchedulerClock.FromPsched(line[(at + "psched ".Length)..]);
    }

    /// <summary>Encodes a modification with the capture's index and clock and compares with the stored bytes.</summary>
    public static void AssertRequest(string name, object spec, NetlinkMessageFlags flags, params int[] targets)
        => AssertEncodes(name, new TcRequest(spec, flags, LinkIndex(name), targets, Clock(name)), TcMessages.Write);

    /// <summary>Encodes <paramref name="argument"/> and compares with the stored bytes.</summary>
    public static void AssertEncodes<TArg>(string name, TArg argument, RequestEncoder<TArg> encode, bool addAck = false)
    {
        byte[] buffer = new byte[TcMessages.RequestSize];
        int length = RequestPipeline.Encode(buffer, argument, encode);
        byte[] expected = Load(name);
        if (addAck)
        {
            Assert.That(expected[6] & (byte)NetlinkMessageFlags.Ack, Is.Zero, "the capture already asks for an ack");
            expected[6] |= (byte)NetlinkMessageFlags.Ack;
        }

        int difference = Iproute2Capture.FirstDifference(expected, buffer.AsSpan(0, length));
        if (difference >= 0)
        {
            Assert.Fail($"request differs from capture '{name}' ({Command(name)}) at byte {difference}\nexpected:\n{Iproute2Capture.Hex(expected)}\nactual:\n{Iproute2Capture.Hex(buffer.AsSpan(0, length))}");
        }
    }

    private static string Header(string name, string key)
        => File.ReadLines(PathOf(name)).First(l => l.StartsWith($"# {key}: ", StringComparison.Ordinal))[$"# {key}: ".Length..];
}
