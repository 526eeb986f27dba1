using System;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>
/// One change reported by a <see cref="RtnetlinkMonitor"/>: what kind of object, what happened to it, and the kernel's
/// message describing it — read lazily, so receiving and classifying an event allocates nothing.
/// </summary>
/// <remarks>
/// The event is a view over the monitor's receive buffer: it is valid until the enumeration moves to the next event.
/// Call <see cref="ToLink"/>, <see cref="ToNeighbour"/>, <see cref="ToRule"/> (or the address and route accessors)
/// before moving on to keep what you need; those allocate the objects they return.
/// </remarks>
public readonly struct RtnetlinkEvent
{
    private readonly byte[]? _buffer;
    private readonly int _offset;
    private readonly int _length;

    internal RtnetlinkEvent(RtnetlinkEventKind kind, RtnetlinkEventAction action, byte[]? buffer, int offset, int length)
    {
        Kind = kind;
        Action = action;
        _buffer = buffer;
        _offset = offset;
        _length = length;
    }

    /// <summary>What the event is about; <see cref="RtnetlinkEventKind.Overrun"/> when events were lost.</summary>
    public RtnetlinkEventKind Kind { get; }

    /// <summary>Created, changed or deleted; <see cref="RtnetlinkEventAction.None"/> for an overrun.</summary>
    public RtnetlinkEventAction Action { get; }

    /// <summary>Whether this event reports lost events rather than a change.</summary>
    public bool IsOverrun => Kind == RtnetlinkEventKind.Overrun;

    /// <summary>The kernel's message (header included); empty for an overrun. Valid until the next event.</summary>
    public ReadOnlySpan<byte> Message => _buffer is null ? default : new ReadOnlySpan<byte>(_buffer, _offset, _length);

    /// <summary>The message type, e.g. <c>RTM_NEWLINK</c> (16); 0 for an overrun.</summary>
    public ushort MessageType => _buffer is null ? (ushort)0 : MemoryMarshal.Read<ushort>(Message.Slice(4));

    /// <summary>The address family of the object: IPv4 or IPv6 for addresses, routes, neighbours and rules; usually unspecified for links.</summary>
    public AddressFamily Family => Payload.IsEmpty ? AddressFamily.Unspecified : KernelFamily.FromKernel(Payload[0]);

    /// <summary>
    /// The interface the object belongs to: the link itself, the address's or neighbour's interface, or the route's
    /// output interface (<c>RTA_OIF</c>); 0 for rules, overruns and routes without one.
    /// </summary>
    public int LinkIndex
    {
        get
        {
            ReadOnlySpan<byte> payload = Payload;
            switch (Kind)
            {
                case RtnetlinkEventKind.Link:
                case RtnetlinkEventKind.Address:
                case RtnetlinkEventKind.Neighbour:
                    return payload.Length >= 8 ? MemoryMarshal.Read<int>(payload.Slice(4)) : 0;
                case RtnetlinkEventKind.Route:
                    return RouteMessages.ReadOutputLink(AsMessage());
                default:
                    return 0;
            }
        }
    }

    /// <summary>For an address event: the prefix length (<c>ifa_prefixlen</c>).</summary>
    /// <exception cref="InvalidOperationException">This is not an address event.</exception>
    public int AddressPrefixLength => Require(RtnetlinkEventKind.Address).Payload[1];

    /// <summary>For an address event: whether the address is still doing duplicate-address detection (<c>IFA_F_TENTATIVE</c>).</summary>
    /// <exception cref="InvalidOperationException">This is not an address event.</exception>
    public bool IsTentative => (Require(RtnetlinkEventKind.Address).ReadAddressFlags() & LinuxIfAddr.IFA_F_TENTATIVE) != 0;

    /// <summary>For an address event: whether duplicate-address detection found the address in use (<c>IFA_F_DADFAILED</c>).</summary>
    /// <exception cref="InvalidOperationException">This is not an address event.</exception>
    public bool IsDuplicateAddressDetectionFailed => (Require(RtnetlinkEventKind.Address).ReadAddressFlags() & LinuxIfAddr.IFA_F_DADFAILED) != 0;

    /// <summary>For a route event: the destination prefix length (<c>rtm_dst_len</c>).</summary>
    /// <exception cref="InvalidOperationException">This is not a route event.</exception>
    public int RoutePrefixLength => Require(RtnetlinkEventKind.Route).Payload[1];

    /// <summary>For a route event: the routing table (<c>RTA_TABLE</c>, else <c>rtm_table</c>).</summary>
    /// <exception cref="InvalidOperationException">This is not a route event.</exception>
    public uint RouteTable
    {
        get => RouteMessages.ReadTable(Require(RtnetlinkEventKind.Route).AsMessage());
    }

    /// <summary>For an address event: the address (<c>IFA_LOCAL</c>, else <c>IFA_ADDRESS</c>).</summary>
    /// <returns>The address.</returns>
    /// <exception cref="InvalidOperationException">This is not an address event.</exception>
    public IPAddress GetAddress()
        => AddressMessages.ReadAddress(Require(RtnetlinkEventKind.Address).AsMessage())
            ?? throw new NetlinkProtocolException("An address message carries neither IFA_LOCAL nor IFA_ADDRESS.");

    /// <summary>For a route event: the destination (<c>RTA_DST</c>), or the unspecified address for a default route.</summary>
    /// <returns>The destination prefix's address.</returns>
    /// <exception cref="InvalidOperationException">This is not a route event.</exception>
    public IPAddress GetRouteDestination() => RouteMessages.ReadDestination(Require(RtnetlinkEventKind.Route).AsMessage());

    /// <summary>For a link event: the link, parsed as <see cref="LinkManager.TryGet(LinkReference)"/> returns it.</summary>
    /// <returns>The link (for a deletion, its last state).</returns>
    /// <exception cref="InvalidOperationException">This is not a link event.</exception>
    public LinkInfo ToLink() => LinkMessages.Parse(Require(RtnetlinkEventKind.Link).AsMessage());

    /// <summary>For an address event: the address, parsed as <see cref="AddressManager"/> lists it.</summary>
    /// <returns>The address (for a deletion, its last state).</returns>
    /// <exception cref="InvalidOperationException">This is not an address event, or not an IPv4/IPv6 one.</exception>
    public AddressInfo ToAddress()
        => AddressMessages.Parse(Require(RtnetlinkEventKind.Address).AsMessage()) ?? throw new InvalidOperationException("The address event is not for an IPv4 or IPv6 address.");

    /// <summary>For a route event: the route, parsed as <see cref="RouteManager"/> lists it.</summary>
    /// <returns>The route (for a deletion, its last state).</returns>
    /// <exception cref="InvalidOperationException">This is not a route event, or not an IPv4/IPv6 one.</exception>
    public RouteInfo ToRoute()
        => RouteMessages.Parse(Require(RtnetlinkEventKind.Route).AsMessage()) ?? throw new InvalidOperationException("The route event is not for an IPv4 or IPv6 route.");

    /// <summary>For a neighbour event: the entry, parsed as <see cref="NeighbourManager.List(NeighbourFilter?)"/> returns it.</summary>
    /// <returns>The entry (for a deletion, its last state).</returns>
    /// <exception cref="InvalidOperationException">This is not a neighbour event, or not an IPv4/IPv6 one.</exception>
    public NeighbourInfo ToNeighbour()
        => NeighbourInfo.Parse(Require(RtnetlinkEventKind.Neighbour).AsMessage()) ?? throw new InvalidOperationException("The neighbour event is not for an IPv4 or IPv6 entry (e.g. a bridge FDB entry).");

    /// <summary>For a rule event: the rule, parsed as <see cref="RuleManager.List(AddressFamily)"/> returns it.</summary>
    /// <returns>The rule.</returns>
    /// <exception cref="InvalidOperationException">This is not a rule event, or not an IPv4/IPv6 one.</exception>
    public RuleInfo ToRule()
        => RuleInfo.Parse(Require(RtnetlinkEventKind.Rule).AsMessage()) ?? throw new InvalidOperationException("The rule event is not for an IPv4 or IPv6 rule.");

    /// <summary>Reads the nexthop object of a <see cref="RtnetlinkEventKind.Nexthop"/> event (for a delete, as it was).</summary>
    /// <returns>The nexthop.</returns>
    /// <exception cref="InvalidOperationException">This is not a nexthop event.</exception>
    /// <exception cref="NetlinkProtocolException">The message is malformed.</exception>
    public NexthopInfo ToNexthop()
        => NexthopMessages.Parse(Require(RtnetlinkEventKind.Nexthop).AsMessage()) ?? throw new InvalidOperationException("The event is not a nexthop message.");

    /// <summary>Reads the id of a <see cref="RtnetlinkEventKind.NamespaceId"/> event: the NSID assigned (or, for a delete, removed with its namespace).</summary>
    /// <returns>The NSID.</returns>
    /// <exception cref="InvalidOperationException">This is not an NSID event.</exception>
    /// <exception cref="NetlinkProtocolException">The message is malformed.</exception>
    public int GetNamespaceId()
        => NamespaceIdMessages.ReadId(Require(RtnetlinkEventKind.NamespaceId).AsMessage()) ?? throw new InvalidOperationException("The event is not an NSID message.");

    /// <summary>Describes the event: kind, action and type.</summary>
    /// <returns>For example <c>Link New (RTM_NEWLINK)</c>.</returns>
    public override string ToString()
        => IsOverrun ? "Overrun (events lost)" : $"{Kind} {Action} ({RouteNetlinkSchema.Instance.GetMessageTypeName(MessageType)})";

    /// <summary>Classifies a kernel message; returns false for types that are not events of a joined group.</summary>
    internal static bool TryClassify(in NetlinkHeader header, ReadOnlySpan<byte> payload, out RtnetlinkEventKind kind, out RtnetlinkEventAction action)
    {
        action = RtnetlinkEventAction.New;
        switch (header.Type)
        {
            case LinuxRtnetlink.RTM_NEWLINK:
                kind = RtnetlinkEventKind.Link;
                if (payload.Length >= 16 && MemoryMarshal.Read<uint>(payload.Slice(12)) != uint.MaxValue)
                {
                    action = RtnetlinkEventAction.Changed;
                }

                return true;
            case LinuxRtnetlink.RTM_DELLINK:
                kind = RtnetlinkEventKind.Link;
                action = RtnetlinkEventAction.Deleted;
                return true;
            case LinuxRtnetlink.RTM_NEWADDR:
            case LinuxRtnetlink.RTM_DELADDR:
                kind = RtnetlinkEventKind.Address;
                break;
            case LinuxRtnetlink.RTM_NEWROUTE:
                kind = RtnetlinkEventKind.Route;
                if ((header.Flags & NetlinkMessageFlags.Replace) != 0 && (header.Flags & NetlinkMessageFlags.Create) == 0)
                {
                    action = RtnetlinkEventAction.Changed;
                }

                return true;
            case LinuxRtnetlink.RTM_DELROUTE:
                kind = RtnetlinkEventKind.Route;
                break;
            case LinuxRtnetlink.RTM_NEWNEIGH:
            case LinuxRtnetlink.RTM_DELNEIGH:
                kind = RtnetlinkEventKind.Neighbour;
                break;
            case LinuxRtnetlink.RTM_NEWRULE:
            case LinuxRtnetlink.RTM_DELRULE:
                kind = RtnetlinkEventKind.Rule;
                break;
            case LinuxNexthop.RTM_NEWNEXTHOP:
                kind = RtnetlinkEventKind.Nexthop;
                if ((header.Flags & NetlinkMessageFlags.Replace) != 0 && (header.Flags & NetlinkMessageFlags.Create) == 0)
                {
                    action = RtnetlinkEventAction.Changed;
                }

                return true;
            case LinuxNexthop.RTM_DELNEXTHOP:
                kind = RtnetlinkEventKind.Nexthop;
                action = RtnetlinkEventAction.Deleted;
                return true;
            case LinuxRtnetlink.RTM_NEWNSID:
                kind = RtnetlinkEventKind.NamespaceId;
                return true;
            case LinuxRtnetlink.RTM_DELNSID:
                kind = RtnetlinkEventKind.NamespaceId;
                action = RtnetlinkEventAction.Deleted;
                return true;
            default:
                kind = default;
                return false;
        }

        if ((header.Type & 3) == 1)
        {
            action = RtnetlinkEventAction.Deleted;
        }

        return true;
    }

    private ReadOnlySpan<byte> Payload => _buffer is null ? default : Message.Slice(NetlinkHeader.Size);

    private NetlinkMessage AsMessage()
    {
        ReadOnlySpan<byte> message = Message;
        return new NetlinkMessage(MemoryMarshal.Read<NetlinkHeader>(message), message.Slice(NetlinkHeader.Size));
    }

    private uint ReadAddressFlags() => AddressMessages.ReadFlags(AsMessage());

    private RtnetlinkEvent Require(RtnetlinkEventKind kind)
        => Kind == kind ? this : throw new InvalidOperationException($"This is a {Kind} event, not a {kind} event.");
}
