using System;
using System.Net;
using System.Net.Sockets;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>Builds RTM_NEWADDR/RTM_DELADDR/RTM_GETADDR requests byte-for-byte as iproute2 does, and parses RTM_NEWADDR.</summary>
internal static class AddressMessages
{
    internal const int MaxRequestSize = 256;

    internal const NetlinkMessageFlags AddFlags = NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack | NetlinkMessageFlags.Exclusive | NetlinkMessageFlags.Create;
    internal const NetlinkMessageFlags ReplaceFlags = NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack | NetlinkMessageFlags.Replace | NetlinkMessageFlags.Create;
    internal const NetlinkMessageFlags DeleteFlags = NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack;

    /// <summary>Throws <see cref="ArgumentException"/> for everything iproute2 or the kernel would refuse on sight.</summary>
    internal static void Validate(AddressSpec spec, bool deleting)
    {
        if (spec is null)
        {
            throw new ArgumentNullException(nameof(spec));
        }

        AddressFamily family = spec.Address.AddressFamily;
        string familyName = IPPrefix.FamilyName(family);
        if (spec.Peer is { } peer && peer.AddressFamily != family)
        {
            throw new ArgumentException($"The peer {peer} is not an {familyName} address like {spec.Address}.", nameof(spec));
        }

        if (spec.Broadcast is { } broadcast && (family != AddressFamily.InterNetwork || broadcast.AddressFamily != family))
        {
            throw new ArgumentException($"Only IPv4 addresses have a broadcast address: {broadcast} cannot go with {spec.Address}.", nameof(spec));
        }

        if (spec.AutoBroadcast && (family != AddressFamily.InterNetwork || spec.Broadcast is not null))
        {
            throw new ArgumentException(spec.Broadcast is null
                ? $"Only IPv4 addresses have a broadcast address (brd +): {spec.Address} is IPv6."
                : "AutoBroadcast (brd +) and an explicit Broadcast cannot both be set.", nameof(spec));
        }

        if (spec.Label is { } label)
        {
            string? problem = InterfaceName.GetProblem(label.Replace(':', '_'));
            if (problem is not null)
            {
                throw new ArgumentException($"'{label}' is not a valid address label: {problem}.", nameof(spec));
            }

            if (spec.Link.Name is { } name && !label.StartsWith(name, StringComparison.Ordinal))
            {
                throw new ArgumentException($"The label '{label}' must start with the link's name '{name}'.", nameof(spec));
            }
        }

        if (deleting)
        {
            return;
        }

        AddressFlags extra = spec.Flags & ~AddressSpec.RequestableFlags;
        if (extra != 0)
        {
            throw new ArgumentException($"The flags {extra} are reported by the kernel and cannot be requested.", nameof(spec));
        }

        if (spec.ValidLifetime is { } valid && (valid <= TimeSpan.Zero || valid.TotalSeconds >= uint.MaxValue))
        {
            throw new ArgumentException($"The valid lifetime must be between 1 second and {uint.MaxValue - 1} seconds (null for forever), not {valid}.", nameof(spec));
        }

        if (spec.PreferredLifetime is { } preferred)
        {
            if (preferred < TimeSpan.Zero || preferred.TotalSeconds >= uint.MaxValue)
            {
                throw new ArgumentException($"The preferred lifetime must be between 0 and {uint.MaxValue - 1} seconds (null for forever), not {preferred}.", nameof(spec));
            }

            if (spec.ValidLifetime is { } v && preferred > v)
            {
                throw new ArgumentException($"The preferred lifetime ({preferred}) is longer than the valid lifetime ({v}).", nameof(spec));
            }
        }
    }

    /// <summary>Writes RTM_NEWADDR (<paramref name="flags"/> = add or replace) or RTM_DELADDR into a buffer; returns its length.</summary>
    internal static int WriteModify(Span<byte> buffer, ushort type, NetlinkMessageFlags flags, AddressSpec spec, int index)
        => RequestPipeline.Encode(buffer, (type, flags, spec, index), WriteModify);

    /// <summary>
    /// The one encoder of address changes: RTM_NEWADDR (flags = add or replace) or RTM_DELADDR for a spec whose link is
    /// resolved to <c>Index</c>; used by <see cref="AddressManager"/> and <see cref="RtnetlinkBatch"/> alike.
    /// </summary>
    internal static void WriteModify(ref NetlinkMessageWriter writer, (ushort Type, NetlinkMessageFlags Flags, AddressSpec Spec, int Index) request)
    {
        (ushort type, NetlinkMessageFlags flags, AddressSpec spec, int index) = request;
        bool deleting = type == LinuxRtnetlink.RTM_DELADDR;
        IPPrefix address = spec.Address;
        uint requestFlags = deleting ? 0 : (uint)spec.Flags;
        byte scope = spec.Scope is { } s ? (byte)s
            : !deleting && address.AddressFamily == AddressFamily.InterNetwork && IsLoopback(address.Address) ? LinuxRtnetlink.RT_SCOPE_HOST
            : LinuxRtnetlink.RT_SCOPE_UNIVERSE;

        writer.BeginMessage(type, flags);
        writer.WriteHeader(new IfAddrMsg
        {
            Family = (byte)(address.AddressFamily == AddressFamily.InterNetworkV6 ? LinuxSocket.AF_INET6 : LinuxSocket.AF_INET),
            PrefixLength = (byte)address.PrefixLength,
            Flags = requestFlags <= 0xff ? (byte)requestFlags : (byte)0,
            Scope = scope,
            Index = (uint)index,
        });

        // iproute2 order for "ip addr add LOCAL [peer P] [brd B] [label L] [metric M] ... dev D [brd +] [lifetimes]".
        writer.WriteAddress(LinuxIfAddr.IFA_LOCAL, address.Address);
        if (spec.Peer is { } peer)
        {
            writer.WriteAddress(LinuxIfAddr.IFA_ADDRESS, peer);
        }

        if (!deleting && spec.Broadcast is { } broadcast)
        {
            writer.WriteAddress(LinuxIfAddr.IFA_BROADCAST, broadcast);
        }

        if (spec.Label is { } label)
        {
            writer.WriteString(LinuxIfAddr.IFA_LABEL, label);
        }

        if (!deleting && spec.Metric is { } metric)
        {
            writer.WriteUInt32(LinuxIfAddr.IFA_RT_PRIORITY, metric);
        }

        if (requestFlags > 0xff)
        {
            writer.WriteUInt32(LinuxIfAddr.IFA_FLAGS, requestFlags);
        }

        if (spec.Peer is null)
        {
            writer.WriteAddress(LinuxIfAddr.IFA_ADDRESS, address.Address);
        }

        if (!deleting && spec.AutoBroadcast && address.PrefixLength <= 30)
        {
            writer.WriteAddress(LinuxIfAddr.IFA_BROADCAST, IPPrefix.Mask(spec.Peer ?? address.Address, address.PrefixLength, setHostBits: true));
        }

        if (!deleting && (spec.ValidLifetime is not null || spec.PreferredLifetime is not null))
        {
            uint valid = spec.ValidLifetime is { } v ? (uint)v.TotalSeconds : LinuxIfAddr.INFINITY_LIFE_TIME;
            uint preferred = spec.PreferredLifetime is { } p ? (uint)p.TotalSeconds : valid;
            writer.WriteStruct(LinuxIfAddr.IFA_CACHEINFO, new IfaCacheinfo { Preferred = preferred, Valid = valid });
        }

        writer.EndMessage();
    }

    /// <summary>Writes the RTM_GETADDR dump request (as <c>ip addr show</c>: an all-zero ifaddrmsg but for the family and, with strict checking, the index).</summary>
    internal static int WriteDump(Span<byte> buffer, AddressFamily family, int index)
        => RequestPipeline.Encode(buffer, (family, index), WriteDump);

    /// <summary>The RTM_GETADDR dump of one family (or both) and, with strict checking, one link (0 for all).</summary>
    internal static void WriteDump(ref NetlinkMessageWriter writer, (AddressFamily Family, int Index) request)
    {
        writer.BeginMessage(LinuxRtnetlink.RTM_GETADDR, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump);
        writer.WriteHeader(new IfAddrMsg { Family = ToKernelFamily(request.Family), Index = (uint)request.Index });
        writer.EndMessage();
    }

    internal static byte ToKernelFamily(AddressFamily family) => family switch
    {
        AddressFamily.Unspecified => (byte)LinuxSocket.AF_UNSPEC,
        AddressFamily.InterNetwork => (byte)LinuxSocket.AF_INET,
        AddressFamily.InterNetworkV6 => (byte)LinuxSocket.AF_INET6,
        _ => throw new ArgumentException($"Only IPv4, IPv6 or Unspecified (both) can be listed, not {family}.", nameof(family)),
    };

    /// <summary>Parses one RTM_NEWADDR message; <see langword="null"/> for families other than IPv4 and IPv6.</summary>
    internal static AddressInfo? Parse(in NetlinkMessage message)
    {
        IfAddrMsg header = message.ReadHeader<IfAddrMsg>();
        if (header.Family is not (LinuxSocket.AF_INET or LinuxSocket.AF_INET6))
        {
            return null;
        }

        IPAddress? local = null;
        IPAddress? address = null;
        IPAddress? broadcast = null;
        IPAddress? anycast = null;
        string? label = null;
        uint flags = header.Flags;
        uint? metric = null;
        IfaCacheinfo? cache = null;
        foreach (NetlinkAttribute attribute in message.GetAttributes<IfAddrMsg>())
        {
            switch (attribute.Type)
            {
                case LinuxIfAddr.IFA_LOCAL:
                    local = attribute.GetIPAddress();
                    break;
                case LinuxIfAddr.IFA_ADDRESS:
                    address = attribute.GetIPAddress();
                    break;
                case LinuxIfAddr.IFA_BROADCAST:
                    broadcast = attribute.GetIPAddress();
                    break;
                case LinuxIfAddr.IFA_ANYCAST:
                    anycast = attribute.GetIPAddress();
                    break;
                case LinuxIfAddr.IFA_LABEL:
                    label = attribute.GetString();
                    break;
                case LinuxIfAddr.IFA_FLAGS:
                    flags = attribute.GetUInt32();
                    break;
                case LinuxIfAddr.IFA_RT_PRIORITY:
                    metric = attribute.GetUInt32();
                    break;
                case LinuxIfAddr.IFA_CACHEINFO:
                    cache = attribute.GetStruct<IfaCacheinfo>();
                    break;
                default:
                    break;
            }
        }

        IPAddress? primary = local ?? address;
        if (primary is null)
        {
            return null;
        }

        int maxLength = primary.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var info = new AddressInfo((int)header.Index, new IPPrefix(primary, Math.Min((int)header.PrefixLength, maxLength)))
        {
            Peer = local is not null && address is not null && !local.Equals(address) ? address : null,
            Broadcast = broadcast,
            Anycast = anycast,
            Label = label,
            Scope = (RouteScope)header.Scope,
            Flags = (AddressFlags)flags,
            Metric = metric,
        };
        if (cache is { } c)
        {
            info.ValidLifetime = Lifetime(c.Valid);
            info.PreferredLifetime = Lifetime(c.Preferred);
        }

        return info;
    }

    private static TimeSpan? Lifetime(uint seconds) => seconds == LinuxIfAddr.INFINITY_LIFE_TIME ? null : TimeSpan.FromSeconds(seconds);

    private static bool IsLoopback(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
#if NET
        address.TryWriteBytes(bytes, out _);
#else
        address.GetAddressBytes().CopyTo(bytes);
#endif
        return bytes[0] == 127;
    }
}
