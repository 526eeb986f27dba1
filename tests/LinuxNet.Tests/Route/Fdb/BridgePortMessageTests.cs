using LinuxNet.Netlink;
using LinuxNet.Route;
using LinuxNet.Tests.Infrastructure;

namespace LinuxNet.Tests.Route.Fdb;

/// <summary>Golden bytes of <c>bridge link show</c> and <c>bridge link set</c> (eng/capture-encapfdb.sh).</summary>
public class BridgePortMessageTests
{
    private const int D0 = 6;

    [Test]
    public void WriteDump_MatchesBridgeLinkShow()
    {
        var buffer = new byte[64];
        int length = BridgePortMessage.WriteDump(buffer);
        Iproute2Capture.AssertMatches("bridge-link-dump", buffer.AsSpan(0, length));
    }

    [Test]
    public void WriteSet_CostPriorityStateLearningFloodHairpin_MatchesBridgeLinkSet()
    {
        var buffer = new byte[128];
        int length = BridgePortMessage.WriteSet(buffer, D0, new BridgePortChanges
        {
            Cost = 5,
            Priority = 10,
            State = BridgePortState.Forwarding,
            Learning = false,
            UnicastFlood = false,
            Hairpin = true,
        });
        Iproute2Capture.AssertMatches("bridge-link-set", buffer.AsSpan(0, length));
    }

    [TestCase("bridge-link-set", "bridge link set")]
    [TestCase("bridge-link-dump", "bridge link show")]
    public void OperationName_AfBridgeLinkMessages_NameBridgeLink(string capture, string expected)
        => Assert.That(OperationName.Of(Iproute2Capture.Load(capture)), Is.EqualTo(expected));

    [Test]
    public void Parse_SetRequestAsAnAnnouncement_ReadsThePortSettings()
    {
        // The request carries the same IFLA_PROTINFO the kernel reports; only the message type differs.
        byte[] bytes = Iproute2Capture.Load("bridge-link-set");
        bytes[4] = (byte)LinuxRtnetlink.RTM_NEWLINK;
        foreach (NetlinkMessage message in new NetlinkMessageEnumerator(bytes))
        {
            Assert.That(BridgePortMessage.Parse(message), Is.Null, "no IFLA_IFNAME: not a port report");
        }
    }
}
