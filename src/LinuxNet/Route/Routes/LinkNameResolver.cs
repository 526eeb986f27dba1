using System;
using System.Buffers;
using System.Threading;
using System.Threading.Tasks;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>Resolves a link name to its index with the same RTM_GETLINK request as iproute2's <c>ll_name_to_index</c>.</summary>
/// <remarks>Kept inside the addresses/routes area until the links area's shared <c>LinkManager.GetIndex</c> is merged.</remarks>
internal static class LinkNameResolver
{
    // /usr/include/linux/if_link.h (owned by the links area's constants file; repeated here to stay independent).
    private const ushort IFLA_IFNAME = 3;
    private const ushort IFLA_EXT_MASK = 29;
    private const int BufferSize = 64;

    private static readonly NetlinkMessageHandler<int[]> Handler = static (message, result) => result[0] = message.ReadHeader<IfInfoMsg>().Index;

    internal static int Resolve(NetlinkSocket socket, string name)
    {
        Span<byte> buffer = stackalloc byte[BufferSize];
        int length = Write(buffer, name);
        int[] result = new int[1];
        socket.Query(buffer.Slice(0, length), result, Handler);
        return Check(result[0], name);
    }

    internal static async ValueTask<int> ResolveAsync(NetlinkSocket socket, string name, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int length = Write(buffer, name);
            int[] result = new int[1];
            await socket.QueryAsync(buffer.AsMemory(0, length), result, Handler, null, cancellationToken).ConfigureAwait(false);
            return Check(result[0], name);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static int Check(int index, string name)
        => index > 0 ? index : throw new LinuxNetException(Errno.ENODEV, $"RTM_GETLINK '{name}'", $"The kernel returned no link named '{name}'.");

    private static int Write(Span<byte> buffer, string name)
    {
        var writer = new NetlinkMessageWriter(buffer);
        writer.BeginMessage(LinuxRtnetlink.RTM_GETLINK, NetlinkMessageFlags.Request);
        writer.WriteHeader(default(IfInfoMsg));
        writer.WriteUInt32(IFLA_EXT_MASK, LinuxRtnetlink.RTEXT_FILTER_VF | LinuxRtnetlink.RTEXT_FILTER_SKIP_STATS);
        writer.WriteString(IFLA_IFNAME, name);
        return writer.EndMessage();
    }
}
