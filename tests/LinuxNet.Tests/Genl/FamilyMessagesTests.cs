using LinuxNet.Genl;
using LinuxNet.Netlink;

namespace LinuxNet.Tests.Genl;

[TestFixture]
public class FamilyMessagesTests
{
    [Test]
    public void Parse_NewFamilyReply_ReadsEveryField()
    {
        byte[] buffer = new byte[256];
        var writer = new NetlinkMessageWriter(buffer);
        writer.BeginMessage(LinuxNetlink.GENL_ID_CTRL, NetlinkMessageFlags.None);
        writer.WriteHeader(new GenlMsgHdr { Cmd = LinuxGenetlink.CTRL_CMD_NEWFAMILY, Version = 2 });
        writer.WriteString(LinuxGenetlink.CTRL_ATTR_FAMILY_NAME, "mptcp_pm");
        writer.WriteUInt16(LinuxGenetlink.CTRL_ATTR_FAMILY_ID, 0x1c);
        writer.WriteUInt32(LinuxGenetlink.CTRL_ATTR_VERSION, 1);
        writer.WriteUInt32(LinuxGenetlink.CTRL_ATTR_HDRSIZE, 0);
        writer.WriteUInt32(LinuxGenetlink.CTRL_ATTR_MAXATTR, 6);
        NestedAttribute ops = writer.BeginNested(LinuxGenetlink.CTRL_ATTR_OPS);
        NestedAttribute op = writer.BeginNested(1);
        writer.WriteUInt32(LinuxGenetlink.CTRL_ATTR_OP_ID, 3);
        writer.WriteUInt32(LinuxGenetlink.CTRL_ATTR_OP_FLAGS, LinuxGenetlink.GENL_CMD_CAP_DO | LinuxGenetlink.GENL_CMD_CAP_DUMP | LinuxGenetlink.GENL_UNS_ADMIN_PERM);
        writer.EndNested(op);
        writer.EndNested(ops);
        NestedAttribute groups = writer.BeginNested(LinuxGenetlink.CTRL_ATTR_MCAST_GROUPS);
        NestedAttribute group = writer.BeginNested(1);
        writer.WriteString(LinuxGenetlink.CTRL_ATTR_MCAST_GRP_NAME, "mptcp_pm_events");
        writer.WriteUInt32(LinuxGenetlink.CTRL_ATTR_MCAST_GRP_ID, 9);
        writer.EndNested(group);
        writer.EndNested(groups);
        int length = writer.EndMessage();

        GenericNetlinkFamily family = null!;
        foreach (NetlinkMessage message in new NetlinkMessageEnumerator(buffer.AsSpan(0, length)))
        {
            family = FamilyMessages.Parse(message)!;
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That((family.Name, family.Id, family.Version, family.HeaderSize, family.MaxAttribute), Is.EqualTo(("mptcp_pm", (ushort)0x1c, 1u, 0u, 6u)));
            Assert.That(family.Operations.Single().Command, Is.EqualTo(3u));
            Assert.That((family.Operations.Single().CanDo, family.Operations.Single().CanDump, family.Operations.Single().RequiresAdmin), Is.EqualTo((true, true, true)));
            Assert.That(family.GetMulticastGroup("mptcp_pm_events").Id, Is.EqualTo(9u));
            Assert.That(() => family.GetMulticastGroup("nope"), Throws.ArgumentException.With.Message.Contains("mptcp_pm"));
        }
    }

    [Test]
    public void Parse_OtherCommand_ReturnsNull()
    {
        byte[] buffer = new byte[64];
        var writer = new NetlinkMessageWriter(buffer);
        writer.BeginMessage(LinuxNetlink.GENL_ID_CTRL, NetlinkMessageFlags.None);
        writer.WriteHeader(new GenlMsgHdr { Cmd = LinuxGenetlink.CTRL_CMD_DELFAMILY });
        int length = writer.EndMessage();
        foreach (NetlinkMessage message in new NetlinkMessageEnumerator(buffer.AsSpan(0, length)))
        {
            Assert.That(FamilyMessages.Parse(message), Is.Null);
        }
    }

    [TestCase("")]
    [TestCase("sixteen_bytes_xx")]
    public void ValidateFamilyName_Bad_Throws(string name)
        => Assert.Throws<ArgumentException>(() => GenericRequestPipeline.ValidateFamilyName(name));
}
