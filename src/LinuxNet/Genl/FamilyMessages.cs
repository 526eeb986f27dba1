using System.Collections.Generic;
using LinuxNet.Netlink;

namespace LinuxNet.Genl;

/// <summary>The one encoder and decoder of <c>nlctrl</c>'s family object (<c>CTRL_CMD_GETFAMILY</c>).</summary>
internal static class FamilyMessages
{
    /// <summary>A get by name, or a dump of every family when <paramref name="name"/> is <see langword="null"/> (<c>genl ctrl list</c>).</summary>
    internal static void WriteGet(ref NetlinkMessageWriter writer, string? name)
    {
        NetlinkMessageFlags flags = name is null ? NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump : NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack;
        writer.BeginMessage(LinuxNetlink.GENL_ID_CTRL, flags);
        writer.WriteHeader(new GenlMsgHdr { Cmd = LinuxGenetlink.CTRL_CMD_GETFAMILY, Version = LinuxGenetlink.CTRL_VERSION });
        if (name is not null)
        {
            writer.WriteString(LinuxGenetlink.CTRL_ATTR_FAMILY_NAME, name);
        }
    }

    /// <summary>Reads a <c>CTRL_CMD_NEWFAMILY</c> reply; <see langword="null"/> for anything else.</summary>
    internal static GenericNetlinkFamily? Parse(NetlinkMessage message)
    {
        if (message.Type != LinuxNetlink.GENL_ID_CTRL || message.ReadHeader<GenlMsgHdr>().Cmd != LinuxGenetlink.CTRL_CMD_NEWFAMILY)
        {
            return null;
        }

        string name = string.Empty;
        ushort id = 0;
        uint version = 0, headerSize = 0, maxAttribute = 0;
        var operations = new List<GenericNetlinkOperation>();
        var groups = new List<GenericNetlinkMulticastGroup>();
        foreach (NetlinkAttribute attribute in message.GetAttributes<GenlMsgHdr>())
        {
            switch (attribute.Type)
            {
                case LinuxGenetlink.CTRL_ATTR_FAMILY_ID:
                    id = attribute.GetUInt16();
                    break;
                case LinuxGenetlink.CTRL_ATTR_FAMILY_NAME:
                    name = attribute.GetString();
                    break;
                case LinuxGenetlink.CTRL_ATTR_VERSION:
                    version = attribute.GetUInt32();
                    break;
                case LinuxGenetlink.CTRL_ATTR_HDRSIZE:
                    headerSize = attribute.GetUInt32();
                    break;
                case LinuxGenetlink.CTRL_ATTR_MAXATTR:
                    maxAttribute = attribute.GetUInt32();
                    break;
                case LinuxGenetlink.CTRL_ATTR_OPS:
                    foreach (NetlinkAttribute entry in attribute.EnumerateNested())
                    {
                        operations.Add(ParseOperation(entry));
                    }

                    break;
                case LinuxGenetlink.CTRL_ATTR_MCAST_GROUPS:
                    foreach (NetlinkAttribute entry in attribute.EnumerateNested())
                    {
                        groups.Add(ParseGroup(entry));
                    }

                    break;
            }
        }

        return new GenericNetlinkFamily(name, id, version, headerSize, maxAttribute, operations, groups);
    }

    private static GenericNetlinkOperation ParseOperation(NetlinkAttribute entry)
    {
        uint command = 0, flags = 0;
        foreach (NetlinkAttribute field in entry.EnumerateNested())
        {
            if (field.Type == LinuxGenetlink.CTRL_ATTR_OP_ID)
            {
                command = field.GetUInt32();
            }
            else if (field.Type == LinuxGenetlink.CTRL_ATTR_OP_FLAGS)
            {
                flags = field.GetUInt32();
            }
        }

        return new GenericNetlinkOperation(command, flags);
    }

    private static GenericNetlinkMulticastGroup ParseGroup(NetlinkAttribute entry)
    {
        string name = string.Empty;
        uint id = 0;
        foreach (NetlinkAttribute field in entry.EnumerateNested())
        {
            if (field.Type == LinuxGenetlink.CTRL_ATTR_MCAST_GRP_NAME)
            {
                name = field.GetString();
            }
            else if (field.Type == LinuxGenetlink.CTRL_ATTR_MCAST_GRP_ID)
            {
                id = field.GetUInt32();
            }
        }

        return new GenericNetlinkMulticastGroup(name, id);
    }
}
