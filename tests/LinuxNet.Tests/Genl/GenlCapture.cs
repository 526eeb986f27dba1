using System.Buffers.Binary;
using LinuxNet.Netlink;
using LinuxNet.Route;
using LinuxNet.Tests.Infrastructure;

namespace LinuxNet.Tests.Genl;

/// <summary>
/// The <c>ethtool</c> and <c>ip mptcp</c> captures in TestData/genl (eng/capture-genl.sh; the file format of
/// TestData/iproute2, kept apart because those are walked as rtnetlink). The family id in a capture was assigned at
/// boot, so the request is encoded with the capture's own id; nlmsg_seq and nlmsg_pid are masked as for every capture.
/// </summary>
internal static class GenlCapture
{
    /// <summary>The stored request bytes of capture <paramref name="name"/>.</summary>
    public static byte[] Load(string name) => Iproute2Capture.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "genl", name + ".txt")));

    /// <summary>The command line the capture was taken from.</summary>
    public static string Command(string name)
        => File.ReadLines(Path.Combine(AppContext.BaseDirectory, "TestData", "genl", name + ".txt")).First(l => l.StartsWith("# command: ", StringComparison.Ordinal))["# command: ".Length..];

    /// <summary>The family id (<c>nlmsg_type</c>) of the stored request.</summary>
    public static ushort FamilyId(string capture) => BinaryPrimitives.ReadUInt16LittleEndian(Load(capture).AsSpan(4));

    /// <summary>Compares written bytes with the capture, seq and pid masked.</summary>
    public static void AssertMatches(string capture, ReadOnlySpan<byte> actual) => AssertEqual(capture, Load(capture), actual);

    /// <summary>Encodes <paramref name="argument"/> with the capture's family id and compares with the stored bytes.</summary>
    /// <param name="capture">The capture's name.</param>
    /// <param name="argument">What to encode.</param>
    /// <param name="encode">The encoder under test.</param>
    /// <param name="addAck">
    /// iproute2's <c>ip</c> sends some gets without <c>NLM_F_ACK</c>; LinuxNet's socket always asks for one on a
    /// non-dump (so a get never waits on a reply that does not come), and so does the encoder: the flag is added to
    /// the expected bytes, the only byte allowed to differ.
    /// </param>
    public static void AssertMatches<TArg>(string capture, TArg argument, RequestEncoder<(ushort Family, TArg Argument)> encode, bool addAck = false)
    {
        byte[] buffer = new byte[512];
        int length = RequestPipeline.Encode(buffer, (FamilyId(capture), argument), encode);
        byte[] expected = Load(capture);
        if (addAck)
        {
            Assert.That(expected[6] & (byte)NetlinkMessageFlags.Ack, Is.Zero, "the capture already asks for an ack");
            expected[6] |= (byte)NetlinkMessageFlags.Ack;
        }

        AssertEqual(capture, expected, buffer.AsSpan(0, length));
    }

    private static void AssertEqual(string capture, byte[] expected, ReadOnlySpan<byte> actual)
    {
        int difference = Iproute2Capture.FirstDifference(expected, actual);
        if (difference >= 0)
        {
            Assert.Fail($"request differs from capture '{capture}' ({Command(capture)}) at byte {difference}\nexpected:\n{Iproute2Capture.Hex(expected)}\nactual:\n{Iproute2Capture.Hex(actual)}");
        }
    }
}
