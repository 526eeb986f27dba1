using System.Net;
using LinuxNet.Genl;
using LinuxNet.Genl.Ethtool;
using LinuxNet.Genl.Mptcp;
using LinuxNet.Netlink;
using LinuxNet.Route;

namespace LinuxNet.Tests.Genl;

/// <summary>Every generic netlink request shape LinuxNet sends, byte for byte against <c>ethtool</c> 6.1 and iproute2's <c>ip mptcp</c> (eng/capture-genl.sh).</summary>
[TestFixture]
public class GenericRequestGoldenTests
{
    private static readonly RequestEncoder<(ushort Family, (byte Command, LinkReference Link, uint Flags) Argument)> Get = EthtoolMessages.WriteGet;

    [Test]
    public void GetFamily_ByName_MatchesEthtoolsLookup()
    {
        byte[] buffer = new byte[64];
        int length = RequestPipeline.Encode<string?>(buffer, "ethtool", FamilyMessages.WriteGet);
        GenlCapture.AssertMatches("genl-getfamily-ethtool", buffer.AsSpan(0, length));
    }

    [TestCase("ethtool-features-get", LinuxEthtoolNetlink.ETHTOOL_MSG_FEATURES_GET, LinuxEthtoolNetlink.ETHTOOL_FLAG_COMPACT_BITSETS)]
    [TestCase("ethtool-channels-get", LinuxEthtoolNetlink.ETHTOOL_MSG_CHANNELS_GET, 0u)]
    [TestCase("ethtool-linkinfo-get", LinuxEthtoolNetlink.ETHTOOL_MSG_LINKINFO_GET, 0u)]
    [TestCase("ethtool-linkmodes-get", LinuxEthtoolNetlink.ETHTOOL_MSG_LINKMODES_GET, 0u)]
    [TestCase("ethtool-linkstate-get", LinuxEthtoolNetlink.ETHTOOL_MSG_LINKSTATE_GET, 0u)]
    public void EthtoolGet_MatchesEthtool(string capture, byte command, uint flags)
        => GenlCapture.AssertMatches(capture, (command, (LinkReference)"v0", flags), Get);

    [Test]
    public void EthtoolStringSet_Features_MatchesEthtool()
        => GenlCapture.AssertMatches<uint>("ethtool-strset-features", LinuxEthtoolNetlink.ETH_SS_FEATURES, static (ref NetlinkMessageWriter w, (ushort Family, uint Argument) a) => EthtoolMessages.WriteStringSetGet(ref w, a));

    [Test]
    public void EthtoolFeaturesSet_RxGroOff_MatchesEthtool()
        => GenlCapture.AssertMatches<(LinkReference, IReadOnlyList<KeyValuePair<string, bool>>)>(
            "ethtool-features-set",
            ("v0", new[] { new KeyValuePair<string, bool>("rx-gro", false) }),
            EthtoolMessages.WriteFeaturesSet);

    [Test]
    public void EthtoolChannelsSet_Rx2_MatchesEthtool()
        => GenlCapture.AssertMatches<(LinkReference, uint?, uint?, uint?, uint?)>("ethtool-channels-set", ("v0", 2u, null, null, null), EthtoolMessages.WriteChannelsSet);

    [Test]
    public void MptcpAdd_Ipv4SignalBackupDev_MatchesIp()
    {
        // `dev v0` was ifindex 3 in the capture's namespace (lo 1, v1 2, v0 3).
        var spec = new MptcpEndpointSpec(IPAddress.Parse("198.51.100.1")) { Id = 5, Flags = MptcpEndpointFlags.Signal | MptcpEndpointFlags.Backup, Link = "v0" };
        GenlCapture.AssertMatches<(MptcpEndpointSpec, int)>("mptcp-endpoint-add", (spec, 3), MptcpMessages.WriteAdd);
    }

    [Test]
    public void MptcpAdd_Ipv6SubflowFullmesh_MatchesIp()
    {
        var spec = new MptcpEndpointSpec(IPAddress.Parse("2001:db8::1")) { Id = 6, Flags = MptcpEndpointFlags.Subflow | MptcpEndpointFlags.Fullmesh };
        GenlCapture.AssertMatches<(MptcpEndpointSpec, int)>("mptcp-endpoint-add-ipv6", (spec, 0), MptcpMessages.WriteAdd);
    }

    [Test]
    public void MptcpDelete_Id5_MatchesIp()
        => GenlCapture.AssertMatches<byte>("mptcp-endpoint-delete", 5, static (ref NetlinkMessageWriter w, (ushort Family, byte Argument) a) => MptcpMessages.WriteDelete(ref w, a));

    [TestCase("mptcp-endpoint-dump", LinuxMptcp.MPTCP_PM_CMD_GET_ADDR, false)]
    [TestCase("mptcp-endpoint-flush", LinuxMptcp.MPTCP_PM_CMD_FLUSH_ADDRS, false)]
    [TestCase("mptcp-limits-get", LinuxMptcp.MPTCP_PM_CMD_GET_LIMITS, true)]
    public void MptcpCommand_MatchesIp(string capture, byte command, bool addAck)
        => GenlCapture.AssertMatches<byte>(capture, command, static (ref NetlinkMessageWriter w, (ushort Family, byte Argument) a) => MptcpMessages.WriteCommand(ref w, a), addAck);

    [Test]
    public void MptcpSetLimits_MatchesIp()
        => GenlCapture.AssertMatches<MptcpLimits>("mptcp-limits-set", new MptcpLimits { Subflows = 3, AcceptedAddresses = 2 }, static (ref NetlinkMessageWriter w, (ushort Family, MptcpLimits Argument) a) => MptcpMessages.WriteSetLimits(ref w, a));

    [Test]
    public void MptcpEndpoint_ParsedFromIpsAddRequest_WritesTheSameBytes()
    {
        // The endpoint nest of an add request is the one the kernel dumps: decode ip's request, encode it again.
        byte[] captured = GenlCapture.Load("mptcp-endpoint-add");
        MptcpEndpoint endpoint = null!;
        foreach (NetlinkMessage message in new NetlinkMessageEnumerator(captured))
        {
            endpoint = MptcpMessages.ParseEndpoint(message)!;
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(endpoint.Id, Is.EqualTo(5));
            Assert.That(endpoint.Address, Is.EqualTo(IPAddress.Parse("198.51.100.1")));
            Assert.That(endpoint.Flags, Is.EqualTo(MptcpEndpointFlags.Signal | MptcpEndpointFlags.Backup));
            Assert.That(endpoint.InterfaceIndex, Is.EqualTo(3));
        }

        var spec = new MptcpEndpointSpec(endpoint.Address) { Id = endpoint.Id, Flags = endpoint.Flags, Port = endpoint.Port };
        GenlCapture.AssertMatches<(MptcpEndpointSpec, int)>("mptcp-endpoint-add", (spec, endpoint.InterfaceIndex), MptcpMessages.WriteAdd);
    }
}
