using LinuxNet.Netlink;
using LinuxNet.Route;
using LinuxNet.Tests.Infrastructure;

namespace LinuxNet.Tests.Route.Routes;

/// <summary>Truncated and randomly corrupted real kernel replies: the parsers either succeed or throw <see cref="NetlinkProtocolException"/>.</summary>
public class RouteReplyRobustnessTests
{
    private static IEnumerable<TestCaseData> Replies()
    {
        foreach (string name in new[] { "addr-dump-reply", "route-dump-ipv4-reply", "route-dump-ipv6-reply", "route-get-ipv4-reply", "route-get-ipv6-reply" })
        {
            yield return new TestCaseData(name).SetName($"Parse_MutatedReply_ThrowsOnlyProtocolException({name})");
        }
    }

    private static void ParseAll(ReadOnlySpan<byte> buffer)
    {
        foreach (NetlinkMessage message in new NetlinkMessageEnumerator(buffer))
        {
            if (message.Type is LinuxRtnetlink.RTM_NEWADDR)
            {
                AddressMessages.Parse(message);
            }
            else if (message.Type is LinuxRtnetlink.RTM_NEWROUTE)
            {
                RouteMessages.Parse(message);
            }
        }
    }

    [TestCaseSource(nameof(Replies))]
    public void Parse_MutatedReply_ThrowsOnlyProtocolException(string name)
    {
        byte[] reply = Iproute2Capture.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "route-replies", name + ".txt")));
        var random = new Random(4242);
        var unexpected = new List<string>();
        foreach (byte[] original in Iproute2Capture.Split(reply))
        {
            for (int round = 0; round < 400; round++)
            {
                byte[] copy = (byte[])original.Clone();
                int flips = random.Next(1, 4);
                for (int i = 0; i < flips; i++)
                {
                    // Leave the 16-byte header alone half of the time so the damage reaches the family header and attributes.
                    int at = random.Next(round % 2 == 0 ? 16 : 0, copy.Length);
                    copy[at] = (byte)random.Next(256);
                }

                int length = round % 5 == 0 ? random.Next(16, copy.Length + 1) : copy.Length;
                if (length != copy.Length)
                {
                    BitConverter.TryWriteBytes(copy.AsSpan(0, 4), length);
                }

                try
                {
                    ParseAll(copy.AsSpan(0, length));
                }
                catch (NetlinkProtocolException)
                {
                }
                catch (Exception e)
                {
                    unexpected.Add($"{e.GetType().Name}: {e.Message}\n{Iproute2Capture.Hex(copy.AsSpan(0, length))}");
                }
            }
        }

        Assert.That(unexpected, Is.Empty, unexpected.FirstOrDefault());
    }
}
