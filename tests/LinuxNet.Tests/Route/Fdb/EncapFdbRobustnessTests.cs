using LinuxNet.Netlink;
using LinuxNet.Route;
using LinuxNet.Tests.Infrastructure;

namespace LinuxNet.Tests.Route.Fdb;

/// <summary>
/// Randomly corrupted and truncated encap/via route messages, FDB entries and bridge port messages: the new decoders
/// (seg6/MPLS encap, RTA_VIA, AF_BRIDGE neighbours and links) either succeed or throw <see cref="NetlinkProtocolException"/>.
/// </summary>
public class EncapFdbRobustnessTests
{
    [TestCase("route-add-seg6-inline-hmac")]
    [TestCase("route-add-seg6-encap")]
    [TestCase("route-add-multipath-encap")]
    [TestCase("route-add-multipath-via-inet6")]
    [TestCase("route-add-mpls-encap-ttl")]
    [TestCase("route-add-via-inet6")]
    [TestCase("fdb-add-vxlan")]
    [TestCase("fdb-add-vxlan-via")]
    [TestCase("bridge-link-set")]
    public void Parse_MutatedMessage_ThrowsOnlyProtocolException(string capture)
    {
        byte[] original = Iproute2Capture.Load(capture);
        if (capture == "bridge-link-set")
        {
            // Announce it as the kernel would, with a name, so the port parser reads IFLA_PROTINFO.
            original[4] = (byte)LinuxRtnetlink.RTM_NEWLINK;
            original = WithName(original, "d0");
        }

        var random = new Random(1414);
        var unexpected = new List<string>();
        int parsed = 0;
        for (int round = 0; round < 2000; round++)
        {
            byte[] copy = (byte[])original.Clone();
            for (int i = random.Next(1, 4); i > 0; i--)
            {
                copy[random.Next(16, copy.Length)] = (byte)random.Next(256);
            }

            int length = round % 5 == 0 ? random.Next(16, copy.Length + 1) : copy.Length;
            BitConverter.TryWriteBytes(copy.AsSpan(0, 4), length);
            try
            {
                foreach (NetlinkMessage message in new NetlinkMessageEnumerator(copy.AsSpan(0, length)))
                {
                    _ = RouteMessages.Parse(message);
                    _ = FdbMessage.Parse(message);
                    _ = BridgePortMessage.Parse(message);
                    parsed++;
                }
            }
            catch (NetlinkProtocolException)
            {
            }
            catch (Exception e)
            {
                unexpected.Add($"round {round}: {e.GetType().Name}: {e.Message}");
            }
        }

        Assert.That(unexpected, Is.Empty);
        Assert.That(parsed, Is.GreaterThan(0), "some mutations must still parse");
    }

    private static byte[] WithName(byte[] message, string name)
    {
        // IFLA_IFNAME: 4-byte header + name + NUL, padded to 4.
        int attribute = 4 + name.Length + 1;
        int padded = (attribute + 3) & ~3;
        var result = new byte[message.Length + padded];
        message.CopyTo(result, 0);
        BitConverter.TryWriteBytes(result.AsSpan(message.Length), (ushort)attribute);
        BitConverter.TryWriteBytes(result.AsSpan(message.Length + 2), LinuxIfLink.IFLA_IFNAME);
        System.Text.Encoding.ASCII.GetBytes(name).CopyTo(result, message.Length + 4);
        BitConverter.TryWriteBytes(result.AsSpan(0, 4), result.Length);
        return result;
    }

    [Test]
    public void Parse_BridgeLinkSetAnnouncedWithName_ReadsThePortSettings()
    {
        byte[] bytes = Iproute2Capture.Load("bridge-link-set");
        bytes[4] = (byte)LinuxRtnetlink.RTM_NEWLINK;
        BridgePortInfo? port = null;
        foreach (NetlinkMessage message in new NetlinkMessageEnumerator(WithName(bytes, "d0")))
        {
            port = BridgePortMessage.Parse(message);
        }

        Assert.That(port, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(port!.Name, Is.EqualTo("d0"));
            Assert.That(port.Index, Is.EqualTo(6));
            Assert.That(port.Cost, Is.EqualTo(5u));
            Assert.That(port.Priority, Is.EqualTo((ushort)10));
            Assert.That(port.State, Is.EqualTo(BridgePortState.Forwarding));
            Assert.That(port.Learning, Is.False);
            Assert.That(port.UnicastFlood, Is.False);
            Assert.That(port.Hairpin, Is.True);
            Assert.That(port.Guard, Is.Null, "not in the message");
        });
    }
}
