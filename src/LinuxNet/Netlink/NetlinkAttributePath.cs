using System;
using System.Runtime.InteropServices;

namespace LinuxNet.Netlink;

/// <summary>Maps an extended-ack offset back to the attribute of the request it points at.</summary>
internal static class NetlinkAttributePath
{
    /// <summary>
    /// Walks <paramref name="request"/> (one whole message) and fills <paramref name="path"/> with the attribute types,
    /// outermost first, of the attribute that starts at or contains <paramref name="offset"/>.
    /// </summary>
    /// <returns>The number of types written; 0 when the offset is not inside an attribute.</returns>
    internal static int Resolve(ReadOnlySpan<byte> request, int familyHeaderSize, int offset, Span<ushort> path)
    {
        int start = NetlinkHeader.Size + NetlinkMessageWriter.Align(familyHeaderSize);
        if (familyHeaderSize < 0 || offset < start || offset >= request.Length || request.Length < start)
        {
            return 0;
        }

        int depth = 0;
        int position = start;
        int end = request.Length;
        while (depth < path.Length && position + 4 <= end)
        {
            ushort length = MemoryMarshal.Read<ushort>(request.Slice(position));
            ushort rawType = MemoryMarshal.Read<ushort>(request.Slice(position + 2));
            if (length < 4 || position + length > end)
            {
                return depth;
            }

            int next = position + NetlinkMessageWriter.Align(length);
            if (offset >= position && offset < next)
            {
                path[depth++] = (ushort)(rawType & 0x3fff);

                // The kernel's offsets always point at an attribute header, so an offset inside a value means the value
                // is a nest, whether or not the sender set NLA_F_NESTED (iproute2 never does).
                if (offset == position || offset < position + 4 || offset >= position + length)
                {
                    return depth;
                }

                end = position + length;
                position += 4;
                continue;
            }

            position = next;
        }

        return depth;
    }
}
