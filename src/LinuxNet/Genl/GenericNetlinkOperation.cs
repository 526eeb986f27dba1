namespace LinuxNet.Genl;

/// <summary>A command a generic netlink family supports (<c>CTRL_ATTR_OPS</c>), with its <c>GENL_*</c> capability flags.</summary>
public sealed class GenericNetlinkOperation
{
    internal GenericNetlinkOperation(uint command, uint flags)
    {
        Command = command;
        Flags = flags;
    }

    /// <summary>The command number (<c>genlmsghdr.cmd</c>).</summary>
    public uint Command { get; }

    /// <summary>The raw <c>GENL_ADMIN_PERM</c> / <c>GENL_CMD_CAP_*</c> flags.</summary>
    public uint Flags { get; }

    /// <summary>The command can be sent as a single request (<c>GENL_CMD_CAP_DO</c>).</summary>
    public bool CanDo => (Flags & LinuxGenetlink.GENL_CMD_CAP_DO) != 0;

    /// <summary>The command can be sent as a dump (<c>GENL_CMD_CAP_DUMP</c>).</summary>
    public bool CanDump => (Flags & LinuxGenetlink.GENL_CMD_CAP_DUMP) != 0;

    /// <summary>The command needs <c>CAP_NET_ADMIN</c> (<c>GENL_ADMIN_PERM</c> or <c>GENL_UNS_ADMIN_PERM</c>).</summary>
    public bool RequiresAdmin => (Flags & (LinuxGenetlink.GENL_ADMIN_PERM | LinuxGenetlink.GENL_UNS_ADMIN_PERM)) != 0;

    /// <inheritdoc/>
    public override string ToString() => $"#{Command} flags 0x{Flags:x}";
}
