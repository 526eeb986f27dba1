using System;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>The state checks behind the readiness waits: one dump each, parsed on the fly without building lists.</summary>
internal static class ReadinessQueries
{
    // /usr/include/linux/if_addr.h (owned by the addresses area, not merged yet)
    private const ushort IFA_ADDRESS = 1;
    private const ushort IFA_LOCAL = 2;
    private const ushort IFA_FLAGS = 8;
    internal const uint IFA_F_DADFAILED = 0x08;
    internal const uint IFA_F_TENTATIVE = 0x40;

    /// <summary>Returns the flags of <paramref name="address"/> if some interface has it, else <see langword="null"/>.</summary>
    internal static async ValueTask<uint?> GetAddressFlagsAsync(NetlinkSocket socket, IPAddress address, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[64];
        var writer = new NetlinkMessageWriter(buffer);
        writer.BeginMessage(LinuxRtnetlink.RTM_GETADDR, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump);
        writer.WriteHeader(new IfAddrMsg { Family = KernelFamily.ToKernel(address.AddressFamily) });
        int length = writer.EndMessage();
        var state = new AddressState(address);
        await socket.QueryAsync(buffer.AsMemory(0, length), state, static (m, s) => s.Inspect(m), static s => s.Flags = null, cancellationToken).ConfigureAwait(false);
        return state.Flags;
    }

    /// <summary>Whether a route to exactly <paramref name="destination"/>/<paramref name="prefixLength"/> exists in any table.</summary>
    internal static async ValueTask<bool> RouteExistsAsync(NetlinkSocket socket, IPAddress destination, int prefixLength, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[64];
        var writer = new NetlinkMessageWriter(buffer);
        writer.BeginMessage(LinuxRtnetlink.RTM_GETROUTE, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump);
        writer.WriteHeader(new RtMsg { Family = KernelFamily.ToKernel(destination.AddressFamily) });
        int length = writer.EndMessage();
        var state = new RouteState(destination, prefixLength);
        await socket.QueryAsync(buffer.AsMemory(0, length), state, static (m, s) => s.Inspect(m), static s => s.Found = false, cancellationToken).ConfigureAwait(false);
        return state.Found;
    }

    internal static bool RouteMatches(NetlinkMessage message, IPAddress destination, int prefixLength)
    {
        if (message.Type != LinuxRtnetlink.RTM_NEWROUTE)
        {
            return false;
        }

        RtMsg header = message.ReadHeader<RtMsg>();
        if (header.DestinationLength != prefixLength || header.Family != KernelFamily.ToKernel(destination.AddressFamily))
        {
            return false;
        }

        foreach (NetlinkAttribute attribute in message.GetAttributes<RtMsg>())
        {
            if (attribute.Type == LinuxRtnetlink.RTA_DST)
            {
                return attribute.GetIPAddress().Equals(destination);
            }
        }

        return prefixLength == 0;
    }

    private sealed class AddressState
    {
        private readonly IPAddress _address;

        internal AddressState(IPAddress address) => _address = address;

        internal uint? Flags { get; set; }

        internal void Inspect(NetlinkMessage message)
        {
            if (message.Type != LinuxRtnetlink.RTM_NEWADDR)
            {
                return;
            }

            uint flags = message.ReadHeader<IfAddrMsg>().Flags;
            bool match = false;
            foreach (NetlinkAttribute attribute in message.GetAttributes<IfAddrMsg>())
            {
                switch (attribute.Type)
                {
                    case IFA_LOCAL:
                    case IFA_ADDRESS:
                        match |= attribute.GetIPAddress().Equals(_address);
                        break;
                    case IFA_FLAGS:
                        flags = attribute.GetUInt32();
                        break;
                }
            }

            if (match)
            {
                Flags = flags;
            }
        }
    }

    private sealed class RouteState
    {
        private readonly IPAddress _destination;
        private readonly int _prefixLength;

        internal RouteState(IPAddress destination, int prefixLength)
        {
            _destination = destination;
            _prefixLength = prefixLength;
        }

        internal bool Found { get; set; }

        internal void Inspect(NetlinkMessage message) => Found |= RouteMatches(message, _destination, _prefixLength);
    }
}
