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
    /// <summary>Returns the flags of <paramref name="address"/> if some interface has it, else <see langword="null"/>.</summary>
    /// <remarks>The dump is <see cref="AddressManager"/>'s own request (<see cref="AddressMessages.WriteDump(ref NetlinkMessageWriter, ValueTuple{AddressFamily, int})"/>).</remarks>
    internal static async ValueTask<uint?> GetAddressFlagsAsync(RequestPipeline pipeline, IPAddress address, CancellationToken cancellationToken)
    {
        var state = new AddressState(address);
        await pipeline.QueryAsync<AsyncWait, (AddressFamily, int), AddressState>((address.AddressFamily, 0), AddressMessages.WriteDump, state, static (m, s) => s.Inspect(m), static s => s.Flags = null, cancellationToken).ConfigureAwait(false);
        return state.Flags;
    }

    /// <summary>Whether a route to exactly <paramref name="destination"/>/<paramref name="prefixLength"/> exists in any table.</summary>
    /// <remarks>The dump is <see cref="RouteManager"/>'s own request for all tables.</remarks>
    internal static async ValueTask<bool> RouteExistsAsync(RequestPipeline pipeline, IPAddress destination, int prefixLength, CancellationToken cancellationToken)
    {
        var state = new RouteState(destination, prefixLength);
        await pipeline.QueryAsync<AsyncWait, (AddressFamily, uint?), RouteState>((destination.AddressFamily, null), RouteMessages.WriteDump, state, static (m, s) => s.Inspect(m), static s => s.Found = false, cancellationToken).ConfigureAwait(false);
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
                    case LinuxIfAddr.IFA_LOCAL:
                    case LinuxIfAddr.IFA_ADDRESS:
                        match |= attribute.GetIPAddress().Equals(_address);
                        break;
                    case LinuxIfAddr.IFA_FLAGS:
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
