using System;
using System.Threading;
using System.Threading.Tasks;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>
/// Resolves an interface name to its index with one <c>RTM_GETLINK</c> (<c>IFLA_IFNAME</c>), for the neighbour,
/// rule, event and batch areas.
/// </summary>
/// <remarks>Kept local to these areas until the links area's <c>LinkManager.GetIndex</c> is merged.</remarks>
internal static class LinkIndexLookup
{
    // /usr/include/linux/if_link.h (owned by the links area's constants file, which is not merged yet)
    private const ushort IFLA_IFNAME = 3;
    private const ushort IFLA_EXT_MASK = 29;
    private const uint RTEXT_FILTER_SKIP_STATS = 1 << 3;

    internal static int GetIndex(NetlinkSocket socket, string name, string parameterName)
    {
        InterfaceName.Validate(name, parameterName);
        Span<byte> buffer = stackalloc byte[PooledRequest.Size];
        int length = Write(buffer, name);
        var box = new StrongBox();
        socket.Query(buffer.Slice(0, length), box, static (m, s) => s.Value = ReadIndex(m));
        return Check(box.Value, name);
    }

    internal static async ValueTask<int> GetIndexAsync(NetlinkSocket socket, string name, string parameterName, CancellationToken cancellationToken)
    {
        InterfaceName.Validate(name, parameterName);
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(PooledRequest.Size);
        try
        {
            int length = Write(buffer, name);
            var box = new StrongBox();
            await socket.QueryAsync(buffer.AsMemory(0, length), box, static (m, s) => s.Value = ReadIndex(m), null, cancellationToken).ConfigureAwait(false);
            return Check(box.Value, name);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Writes <c>RTM_GETLINK</c> for <paramref name="name"/>, stats skipped.</summary>
    internal static int Write(Span<byte> buffer, string name)
    {
        var writer = new NetlinkMessageWriter(buffer);
        writer.BeginMessage(LinuxRtnetlink.RTM_GETLINK, NetlinkMessageFlags.Request);
        writer.WriteHeader(new IfInfoMsg());
        writer.WriteUInt32(IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
        writer.WriteString(IFLA_IFNAME, name);
        return writer.EndMessage();
    }

    private static int ReadIndex(NetlinkMessage message)
        => message.Type == LinuxRtnetlink.RTM_NEWLINK ? message.ReadHeader<IfInfoMsg>().Index : 0;

    private static int Check(int index, string name)
        => index > 0 ? index : throw new LinuxNetException(Errno.ENODEV, $"RTM_GETLINK '{name}'", $"No interface named '{name}' exists (ENODEV).");

    private sealed class StrongBox
    {
        internal int Value;
    }
}
