using System;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace LinuxNet.Udp;

/// <summary>Encodes and decodes <c>sockaddr_in</c>/<c>sockaddr_in6</c> (<c>netinet/in.h</c>) for UDP sockets.</summary>
internal static class UdpSocketAddress
{
    /// <summary>Writes <paramref name="endPoint"/> as the address family <paramref name="family"/> uses; returns its length.</summary>
    /// <remarks>An IPv4 end point for an IPv6 socket becomes a v4-mapped address, as <see cref="Socket.DualMode"/> does.</remarks>
    internal static int Write(IPEndPoint endPoint, AddressFamily family, Span<byte> destination)
    {
        IPAddress address = endPoint.Address;
        if (family == AddressFamily.InterNetwork)
        {
            if (address.AddressFamily != AddressFamily.InterNetwork)
            {
                throw new ArgumentException($"The IPv4 socket cannot send to {endPoint}: the address is not IPv4.", nameof(endPoint));
            }

            destination.Slice(0, LinuxUdp.SockAddrInSize).Clear();
            BinaryPrimitives.WriteUInt16LittleEndian(destination, LinuxSocket.AF_INET);
            BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(2), (ushort)endPoint.Port);
            WriteBytes(address, destination.Slice(4, 4));
            return LinuxUdp.SockAddrInSize;
        }

        destination.Slice(0, LinuxUdp.SockAddrIn6Size).Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(destination, LinuxSocket.AF_INET6);
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(2), (ushort)endPoint.Port);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            destination[18] = 0xFF;
            destination[19] = 0xFF;
            WriteBytes(address, destination.Slice(20, 4));
        }
        else
        {
            WriteBytes(address, destination.Slice(8, 16));
            BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(24), (uint)address.ScopeId);
        }

        return LinuxUdp.SockAddrIn6Size;
    }

    /// <summary>Reads an address the kernel wrote; <see langword="null"/> for an unknown family.</summary>
    internal static IPEndPoint? Read(ReadOnlySpan<byte> source)
    {
        ushort family = BinaryPrimitives.ReadUInt16LittleEndian(source);
        int port = BinaryPrimitives.ReadUInt16BigEndian(source.Slice(2));
        if (family == LinuxSocket.AF_INET)
        {
            return new IPEndPoint(new IPAddress(source.Slice(4, 4).ToArray()), port);
        }

        if (family == LinuxSocket.AF_INET6)
        {
            long scope = BinaryPrimitives.ReadUInt32LittleEndian(source.Slice(24));
            return new IPEndPoint(new IPAddress(source.Slice(8, 16).ToArray(), scope), port);
        }

        return null;
    }

    /// <summary>The port of an address the kernel wrote.</summary>
    internal static int ReadPort(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadUInt16BigEndian(source.Slice(2));

    /// <summary>Copies the address bytes (4 or 16) of an address the kernel wrote; -1 when too small or unknown.</summary>
    internal static int ReadAddressBytes(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        ushort family = BinaryPrimitives.ReadUInt16LittleEndian(source);
        ReadOnlySpan<byte> bytes = family switch
        {
            LinuxSocket.AF_INET => source.Slice(4, 4),
            LinuxSocket.AF_INET6 => source.Slice(8, 16),
            _ => default,
        };
        if (bytes.IsEmpty || !bytes.TryCopyTo(destination))
        {
            return -1;
        }

        return bytes.Length;
    }

#if !NET
    // netstandard2.0 has no span overload of the address bytes; GetAddressBytes allocates. A sender repeats its
    // peers, so the last IPv6 address's bytes are kept per thread (IPAddress is immutable but for ScopeId, which is
    // written separately).
    [ThreadStatic]
    private static IPAddress? t_lastAddress;

    [ThreadStatic]
    private static byte[]? t_lastBytes;
#endif

    private static void WriteBytes(IPAddress address, Span<byte> destination)
    {
#if NET
        _ = address.TryWriteBytes(destination, out _);
#else
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
#pragma warning disable CS0618 // IPAddress.Address: on netstandard2.0 the one allocation-free read of an IPv4 address (network order in memory)
            BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)address.Address);
#pragma warning restore CS0618
            return;
        }

        if (!ReferenceEquals(t_lastAddress, address) || t_lastBytes is null)
        {
            t_lastBytes = address.GetAddressBytes();
            t_lastAddress = address;
        }

        t_lastBytes.CopyTo(destination);
#endif
    }
}
