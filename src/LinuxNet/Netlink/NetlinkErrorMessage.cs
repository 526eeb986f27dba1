using System;
using System.Runtime.InteropServices;

namespace LinuxNet.Netlink;

/// <summary>A parsed <c>NLMSG_ERROR</c> message: the errno (0 = ACK), the echoed request header and the extended ack.</summary>
internal readonly ref struct NetlinkErrorMessage
{
    private NetlinkErrorMessage(int error, NetlinkHeader request, ReadOnlySpan<byte> extendedAckMessage, int? offset, ushort? missingType)
    {
        Error = error;
        Request = request;
        ExtendedAckMessageBytes = extendedAckMessage;
        Offset = offset;
        MissingType = missingType;
    }

    /// <summary>The negative errno, or 0 for an acknowledgement.</summary>
    internal int Error { get; }

    /// <summary>The header of the request this answers.</summary>
    internal NetlinkHeader Request { get; }

    internal ReadOnlySpan<byte> ExtendedAckMessageBytes { get; }

    internal int? Offset { get; }

    internal ushort? MissingType { get; }

    internal string? ExtendedAckMessage
        => ExtendedAckMessageBytes.IsEmpty ? null : System.Text.Encoding.UTF8.GetString(ExtendedAckMessageBytes.ToArray()).TrimEnd('\n', '.', ' ');

    /// <summary>Parses the payload of an <c>NLMSG_ERROR</c> message.</summary>
    /// <exception cref="NetlinkProtocolException">The error code or the echoed header is cut short.</exception>
    internal static NetlinkErrorMessage Parse(in NetlinkMessage message)
    {
        ReadOnlySpan<byte> payload = message.Payload;
        if (payload.Length < 4 + NetlinkHeader.Size)
        {
            throw new NetlinkProtocolException($"NLMSG_ERROR message of {payload.Length} payload bytes is too short for the error code and the echoed request header ({4 + NetlinkHeader.Size} bytes).");
        }

        int error = Bytes.Read<int>(payload);
        NetlinkHeader request = Bytes.Read<NetlinkHeader>(payload.Slice(4));
        int echoed = NetlinkHeader.Size;
        if ((message.Flags & NetlinkMessageFlags.Capped) == 0 && error != 0)
        {
            if (request.Length < NetlinkHeader.Size || request.Length > (uint)(payload.Length - 4))
            {
                throw new NetlinkProtocolException($"NLMSG_ERROR echoes a request of {request.Length} bytes but only {payload.Length - 4} bytes follow the error code.");
            }

            echoed = (int)request.Length;
        }

        ReadOnlySpan<byte> text = default;
        int? offset = null;
        ushort? missingType = null;
        if ((message.Flags & NetlinkMessageFlags.AckTlvs) != 0)
        {
            int start = 4 + NetlinkMessageWriter.Align(echoed);
            if (start < payload.Length)
            {
                foreach (NetlinkAttribute attribute in new NetlinkAttributeEnumerator(payload.Slice(start)))
                {
                    switch (attribute.Type)
                    {
                        case LinuxNetlink.NLMSGERR_ATTR_MSG:
                            text = attribute.GetStringBytes();
                            break;
                        case LinuxNetlink.NLMSGERR_ATTR_OFFS:
                            offset = (int)attribute.GetUInt32();
                            break;
                        case LinuxNetlink.NLMSGERR_ATTR_MISS_TYPE:
                            missingType = (ushort)attribute.GetUInt32();
                            break;
                        default:
                            break;
                    }
                }
            }
        }

        return new NetlinkErrorMessage(error, request, text, offset, missingType);
    }
}
