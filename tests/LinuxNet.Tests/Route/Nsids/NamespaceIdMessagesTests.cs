using System.Runtime.InteropServices;
using LinuxNet.Netlink;
using LinuxNet.Route;
using LinuxNet.Tests.Infrastructure;
using LinuxNet.Tests.Route.Nexthops;

namespace LinuxNet.Tests.Route.Nsids;

[TestFixture]
public class NamespaceIdMessagesTests
{
    // ip opened /run/netns/<peer> (or /proc/self/ns/net) as fd 6 in the capture.
    private const int CapturedFd = 6;

    [Test]
    public void WriteSet_ByFd_MatchesIproute2()
        => Iproute2Capture.AssertMatches("nsid-set", NexthopMessagesTests.Encode(new NamespaceIdRequest(CapturedFd, 0, 7), NamespaceIdMessages.WriteSet));

    [Test]
    public void WriteGet_ByFd_MatchesIproute2()
        => Iproute2Capture.AssertMatches("nsid-get", NexthopMessagesTests.Encode(new NamespaceIdRequest(CapturedFd, 0, 0), NamespaceIdMessages.WriteGet));

    [Test]
    public void WriteDump_MatchesIproute2()
        => Iproute2Capture.AssertMatches("nsid-dump", NexthopMessagesTests.Encode(0, NamespaceIdMessages.WriteDump));

    [Test]
    public void WriteSet_ByPid_WritesNetnsaPid()
    {
        byte[] bytes = NexthopMessagesTests.Encode(new NamespaceIdRequest(-1, 4242, -1), NamespaceIdMessages.WriteSet);
        Assert.Multiple(() =>
        {
            Assert.That(BitConverter.ToUInt16(bytes, 0x16), Is.EqualTo(LinuxNetNamespace.NETNSA_PID));
            Assert.That(BitConverter.ToInt32(bytes, 0x18), Is.EqualTo(4242));
            Assert.That(BitConverter.ToInt32(bytes, 0x20), Is.EqualTo(-1), "auto: NETNSA_NSID = -1");
        });
    }

    [Test]
    public void ReadId_SetMessage_ReadsTheId()
    {
        byte[] bytes = Iproute2Capture.Load("nsid-set");
        NetlinkHeader header = MemoryMarshal.Read<NetlinkHeader>(bytes);
        Assert.That(NamespaceIdMessages.ReadId(new NetlinkMessage(header, bytes.AsSpan(16))), Is.EqualTo(7));
    }
}
