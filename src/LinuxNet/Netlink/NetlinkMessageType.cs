namespace LinuxNet.Netlink;

/// <summary>
/// The <c>nlmsg_type</c> values every netlink protocol shares (<c>/usr/include/linux/netlink.h</c>); a protocol's own
/// types start at <see cref="MinimumProtocolType"/>.
/// </summary>
public static class NetlinkMessageType
{
    /// <summary>Nothing; to be ignored (<c>NLMSG_NOOP</c>).</summary>
    public const ushort Noop = LinuxNetlink.NLMSG_NOOP;

    /// <summary>An error or, with error 0, an acknowledgement (<c>NLMSG_ERROR</c>).</summary>
    public const ushort Error = LinuxNetlink.NLMSG_ERROR;

    /// <summary>The end of a multipart reply (<c>NLMSG_DONE</c>).</summary>
    public const ushort Done = LinuxNetlink.NLMSG_DONE;

    /// <summary>Data was lost (<c>NLMSG_OVERRUN</c>).</summary>
    public const ushort Overrun = LinuxNetlink.NLMSG_OVERRUN;

    /// <summary>The first type a protocol may define for itself (<c>NLMSG_MIN_TYPE</c>).</summary>
    public const ushort MinimumProtocolType = LinuxNetlink.NLMSG_MIN_TYPE;

    /// <summary>
    /// On <see cref="NetlinkProtocol.Generic"/>: the fixed family id of <c>nlctrl</c> (<c>GENL_ID_CTRL</c>), which
    /// resolves every other family's id by name (<c>CTRL_CMD_GETFAMILY</c>).
    /// </summary>
    public const ushort GenericNetlinkControl = LinuxNetlink.GENL_ID_CTRL;
}
