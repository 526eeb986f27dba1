using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>What <c>ip addr</c> does: add, replace, delete, read, list and flush IPv4 and IPv6 addresses, over its <see cref="RtnetlinkSession"/>'s socket.</summary>
/// <remarks>
/// <para>Obtain it from <see cref="RtnetlinkSession.Addresses"/>. Changing addresses needs <c>CAP_NET_ADMIN</c> in the manager's namespace.</para>
/// <para>Safe for concurrent use: requests are serialized on the socket and correlated by sequence number.</para>
/// <para>
/// Kernel refusals throw <see cref="NetlinkException"/> with the kernel's own text: a duplicate address is
/// <see cref="LinuxNetException.IsAlreadyExists"/> (<c>EEXIST</c>); a missing link or address is
/// <see cref="LinuxNetException.IsNotFound"/> (<c>ENODEV</c>, <c>EADDRNOTAVAIL</c>).
/// </para>
/// </remarks>
public sealed class AddressManager
{
    private static readonly NetlinkMessageHandler<ListState> ListHandler = static (message, state) => state.Add(message);
    private static readonly Action<ListState> ListRestart = static state => state.Results.Clear();

    private readonly LinkManager _links;

    internal AddressManager(LinkManager links) => _links = links;

    private RequestPipeline Pipeline => _links.Pipeline;

    /// <summary>Adds an address; fails if it exists. Equivalent to <c>ip addr add ADDRESS/LEN dev LINK</c>.</summary>
    /// <param name="link">The link, by name or index.</param>
    /// <param name="address">The address with its prefix length, e.g. <c>198.51.100.7/24</c>.</param>
    /// <exception cref="ArgumentException">The name is not a valid interface name.</exception>
    /// <exception cref="NetlinkException">The kernel refused: <c>EEXIST</c> for a duplicate, <c>ENODEV</c> for a missing link.</exception>
    public void Add(LinkReference link, IPPrefix address) => Add(new AddressSpec(link, address));

    /// <summary>Adds an address, asynchronously. Equivalent to <c>ip addr add ADDRESS/LEN dev LINK</c>.</summary>
    /// <param name="link">The link, by name or index.</param>
    /// <param name="address">The address with its prefix length.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel has added the address.</returns>
    /// <exception cref="ArgumentException">The name is not a valid interface name.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ by their first parameter's type (link name or spec); the optional token cannot make a call ambiguous.")]
    public ValueTask AddAsync(LinkReference link, IPPrefix address, CancellationToken cancellationToken = default)
        => AddAsync(new AddressSpec(link, address), cancellationToken);

    /// <summary>Adds an address with all its options; fails if it exists. Equivalent to <c>ip addr add …</c> (see <see cref="AddressSpec"/>).</summary>
    /// <param name="spec">The address.</param>
    /// <exception cref="ArgumentException">The spec is inconsistent (see <see cref="AddressSpec"/>).</exception>
    /// <exception cref="NetlinkException">The kernel refused: <c>EEXIST</c> for a duplicate, <c>ENODEV</c> for a missing link.</exception>
    public void Add(AddressSpec spec) => Modify(LinuxRtnetlink.RTM_NEWADDR, AddressMessages.AddFlags, spec);

    /// <summary>Adds an address with all its options, asynchronously. Equivalent to <c>ip addr add …</c>.</summary>
    /// <param name="spec">The address.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel has added the address.</returns>
    /// <exception cref="ArgumentException">The spec is inconsistent.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ by their first parameter's type (link name or spec); the optional token cannot make a call ambiguous.")]
    public ValueTask AddAsync(AddressSpec spec, CancellationToken cancellationToken = default)
        => ModifyAsync(LinuxRtnetlink.RTM_NEWADDR, AddressMessages.AddFlags, spec, cancellationToken);

    /// <summary>Adds an address, or updates it when it exists (flags, lifetimes, broadcast…). Equivalent to <c>ip addr replace …</c>.</summary>
    /// <param name="spec">The address.</param>
    /// <exception cref="ArgumentException">The spec is inconsistent.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public void Replace(AddressSpec spec) => Modify(LinuxRtnetlink.RTM_NEWADDR, AddressMessages.ReplaceFlags, spec);

    /// <summary>Adds or updates an address, asynchronously. Equivalent to <c>ip addr replace …</c>.</summary>
    /// <param name="spec">The address.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel has applied the change.</returns>
    /// <exception cref="ArgumentException">The spec is inconsistent.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask ReplaceAsync(AddressSpec spec, CancellationToken cancellationToken = default)
        => ModifyAsync(LinuxRtnetlink.RTM_NEWADDR, AddressMessages.ReplaceFlags, spec, cancellationToken);

    /// <summary>Deletes an address. Equivalent to <c>ip addr del ADDRESS/LEN dev LINK</c>.</summary>
    /// <param name="link">The link, by name or index.</param>
    /// <param name="address">The address with its prefix length.</param>
    /// <exception cref="ArgumentException">The name is not a valid interface name.</exception>
    /// <exception cref="NetlinkException">The kernel refused: <c>EADDRNOTAVAIL</c> (<see cref="LinuxNetException.IsNotFound"/>) when there is no such address.</exception>
    public void Delete(LinkReference link, IPPrefix address) => Delete(new AddressSpec(link, address));

    /// <summary>Deletes an address, asynchronously. Equivalent to <c>ip addr del ADDRESS/LEN dev LINK</c>.</summary>
    /// <param name="link">The link, by name or index.</param>
    /// <param name="address">The address with its prefix length.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel has deleted the address.</returns>
    /// <exception cref="ArgumentException">The name is not a valid interface name.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ by their first parameter's type (link name or spec); the optional token cannot make a call ambiguous.")]
    public ValueTask DeleteAsync(LinkReference link, IPPrefix address, CancellationToken cancellationToken = default)
        => DeleteAsync(new AddressSpec(link, address), cancellationToken);

    /// <summary>Deletes an address (local address, prefix length, peer, label and scope are matched). Equivalent to <c>ip addr del …</c>.</summary>
    /// <param name="spec">The address.</param>
    /// <exception cref="ArgumentException">The spec is inconsistent.</exception>
    /// <exception cref="NetlinkException">The kernel refused: <c>EADDRNOTAVAIL</c> when there is no such address.</exception>
    public void Delete(AddressSpec spec) => Modify(LinuxRtnetlink.RTM_DELADDR, AddressMessages.DeleteFlags, spec);

    /// <summary>Deletes an address, asynchronously. Equivalent to <c>ip addr del …</c>.</summary>
    /// <param name="spec">The address.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel has deleted the address.</returns>
    /// <exception cref="ArgumentException">The spec is inconsistent.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ by their first parameter's type (link name or spec); the optional token cannot make a call ambiguous.")]
    public ValueTask DeleteAsync(AddressSpec spec, CancellationToken cancellationToken = default)
        => ModifyAsync(LinuxRtnetlink.RTM_DELADDR, AddressMessages.DeleteFlags, spec, cancellationToken);

    /// <summary>Lists addresses, optionally of one link and one family. Equivalent to <c>ip [-4|-6] addr show [dev LINK]</c>.</summary>
    /// <param name="link">The link by name or index, or <see langword="null"/> for every link.</param>
    /// <param name="family"><see cref="AddressFamily.InterNetwork"/>, <see cref="AddressFamily.InterNetworkV6"/>, or <see cref="AddressFamily.Unspecified"/> for both.</param>
    /// <returns>The addresses, in the kernel's order.</returns>
    /// <exception cref="ArgumentException">The name is invalid, or the family is not IPv4, IPv6 or Unspecified.</exception>
    /// <exception cref="NetlinkException">The kernel refused (<c>ENODEV</c> for a missing link).</exception>
    public IReadOnlyList<AddressInfo> List(LinkReference? link = null, AddressFamily family = AddressFamily.Unspecified)
    {
        CheckListArguments(link, family);
        return SyncWait.Complete(ListCoreAsync<SyncWait>(link, family, default));
    }

    /// <summary>Lists addresses, asynchronously. Equivalent to <c>ip [-4|-6] addr show [dev LINK]</c>.</summary>
    /// <param name="link">The link by name or index, or <see langword="null"/> for every link.</param>
    /// <param name="family">IPv4, IPv6, or Unspecified for both.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>The addresses, in the kernel's order.</returns>
    /// <exception cref="ArgumentException">The name is invalid, or the family is not IPv4, IPv6 or Unspecified.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask<IReadOnlyList<AddressInfo>> ListAsync(LinkReference? link = null, AddressFamily family = AddressFamily.Unspecified, CancellationToken cancellationToken = default)
    {
        CheckListArguments(link, family);
        return ListCoreAsync<AsyncWait>(link, family, cancellationToken);
    }

    /// <summary>Reads one address of a link; throws when the link does not have it. Equivalent to <c>ip addr show dev LINK to ADDRESS/LEN</c>.</summary>
    /// <param name="link">The link, by name or index.</param>
    /// <param name="address">The address with its prefix length, as it was added (e.g. <c>198.51.100.1/24</c>).</param>
    /// <returns>The address.</returns>
    /// <remarks>The kernel has no get-one request for IPv4 addresses, so this is the link's dump of that family, filtered.</remarks>
    /// <exception cref="ArgumentException">The link reference or the address is invalid (checked before anything is sent).</exception>
    /// <exception cref="NetlinkException">The link does not have the address (<c>EADDRNOTAVAIL</c>, <see cref="LinuxNetException.IsNotFound"/>), no such link (<c>ENODEV</c>), or another refusal.</exception>
    public AddressInfo Get(LinkReference link, IPPrefix address)
    {
        CheckGetArguments(link, address);
        return SyncWait.Complete(GetCoreAsync<SyncWait>(link, address, throwIfMissing: true, default))!;
    }

    /// <summary>Reads one address of a link asynchronously; throws when the link does not have it. Equivalent to <c>ip addr show dev LINK to ADDRESS/LEN</c>.</summary>
    /// <param name="link">The link, by name or index.</param>
    /// <param name="address">The address with its prefix length.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>The address.</returns>
    /// <exception cref="ArgumentException">The link reference or the address is invalid.</exception>
    /// <exception cref="NetlinkException">The link does not have the address (<c>EADDRNOTAVAIL</c>), no such link (<c>ENODEV</c>), or another refusal.</exception>
    public async ValueTask<AddressInfo> GetAsync(LinkReference link, IPPrefix address, CancellationToken cancellationToken = default)
    {
        CheckGetArguments(link, address);
        return (await GetCoreAsync<AsyncWait>(link, address, throwIfMissing: true, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Reads one address of a link, or <see langword="null"/> when the link does not have it.</summary>
    /// <param name="link">The link, by name or index.</param>
    /// <param name="address">The address with its prefix length.</param>
    /// <returns>The address, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentException">The link reference or the address is invalid.</exception>
    /// <exception cref="NetlinkException">No such link (<c>ENODEV</c>), or another refusal.</exception>
    public AddressInfo? TryGet(LinkReference link, IPPrefix address)
    {
        CheckGetArguments(link, address);
        return SyncWait.Complete(GetCoreAsync<SyncWait>(link, address, throwIfMissing: false, default));
    }

    /// <summary>Reads one address of a link asynchronously, or <see langword="null"/> when the link does not have it.</summary>
    /// <param name="link">The link, by name or index.</param>
    /// <param name="address">The address with its prefix length.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>The address, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentException">The link reference or the address is invalid.</exception>
    /// <exception cref="NetlinkException">No such link (<c>ENODEV</c>), or another refusal.</exception>
    public ValueTask<AddressInfo?> TryGetAsync(LinkReference link, IPPrefix address, CancellationToken cancellationToken = default)
    {
        CheckGetArguments(link, address);
        return GetCoreAsync<AsyncWait>(link, address, throwIfMissing: false, cancellationToken);
    }

    /// <summary>Deletes every address of a link, optionally of one family. Equivalent to <c>ip [-4|-6] addr flush dev LINK</c>.</summary>
    /// <param name="link">The link, by name or index.</param>
    /// <param name="family">IPv4, IPv6, or Unspecified for both.</param>
    /// <returns>How many addresses were deleted by this call (IPv4 secondaries the kernel removed with their primary are not counted).</returns>
    /// <exception cref="ArgumentException">The name is invalid, or the family is not IPv4, IPv6 or Unspecified.</exception>
    /// <exception cref="NetlinkException">The kernel refused (<c>ENODEV</c> for a missing link).</exception>
    public int Flush(LinkReference link, AddressFamily family = AddressFamily.Unspecified)
    {
        CheckFlushArguments(link, family);
        return SyncWait.Complete(FlushCoreAsync<SyncWait>(link, family, default));
    }

    /// <summary>Deletes every address of a link, asynchronously. Equivalent to <c>ip [-4|-6] addr flush dev LINK</c>.</summary>
    /// <param name="link">The link, by name or index.</param>
    /// <param name="family">IPv4, IPv6, or Unspecified for both.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answers.</param>
    /// <returns>How many addresses were deleted by this call.</returns>
    /// <exception cref="ArgumentException">The name is invalid, or the family is not IPv4, IPv6 or Unspecified.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask<int> FlushAsync(LinkReference link, AddressFamily family = AddressFamily.Unspecified, CancellationToken cancellationToken = default)
    {
        CheckFlushArguments(link, family);
        return FlushCoreAsync<AsyncWait>(link, family, cancellationToken);
    }

    private static AddressSpec ToDeleteSpec(AddressInfo address)
        => new(address.LinkIndex, address.Address) { Peer = address.Peer, Scope = address.Scope };

    private static void CheckListArguments(LinkReference? link, AddressFamily family)
    {
        link?.Validate(nameof(link));
        AddressMessages.ToKernelFamily(family);
    }

    private static void CheckGetArguments(LinkReference link, IPPrefix address)
    {
        link.Validate(nameof(link));
        KernelFamily.ValidateAddress(address.Address, nameof(address));
    }

    private async ValueTask<AddressInfo?> GetCoreAsync<TWait>(LinkReference link, IPPrefix address, bool throwIfMissing, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        foreach (AddressInfo info in await ListCoreAsync<TWait>(link, address.AddressFamily, cancellationToken).ConfigureAwait(false))
        {
            if (info.Address == address)
            {
                return info;
            }
        }

        return throwIfMissing
            ? throw new NetlinkException(Errno.EADDRNOTAVAIL, "ip addr show", $"ip addr show dev {link} to {address}: the link does not have this address", null, null, LinuxRtnetlink.RTM_GETADDR, 0)
            : null;
    }

    private static void CheckFlushArguments(LinkReference link, AddressFamily family)
    {
        link.Validate(nameof(link));
        AddressMessages.ToKernelFamily(family);
    }

    private void Modify(ushort type, NetlinkMessageFlags flags, AddressSpec spec)
    {
        AddressMessages.Validate(spec, type == LinuxRtnetlink.RTM_DELADDR);
        int index = spec.Link.IsName ? SyncWait.Complete(Pipeline.GetIndexAsync<SyncWait>(spec.Link.Name!, default, OperationName.Of(type, flags))) : spec.Link.Index;
        Pipeline.Execute((type, flags, spec, index), AddressMessages.WriteModify);
    }

    private ValueTask ModifyAsync(ushort type, NetlinkMessageFlags flags, AddressSpec spec, CancellationToken cancellationToken)
    {
        AddressMessages.Validate(spec, type == LinuxRtnetlink.RTM_DELADDR);
        return ModifyCoreAsync<AsyncWait>(type, flags, spec, cancellationToken);
    }

    private async ValueTask ModifyCoreAsync<TWait>(ushort type, NetlinkMessageFlags flags, AddressSpec spec, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        int index = spec.Link.IsName ? await Pipeline.GetIndexAsync<TWait>(spec.Link.Name!, cancellationToken, OperationName.Of(type, flags)).ConfigureAwait(false) : spec.Link.Index;
        await Pipeline.ExecuteAsync<TWait, (ushort, NetlinkMessageFlags, AddressSpec, int)>((type, flags, spec, index), AddressMessages.WriteModify, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<IReadOnlyList<AddressInfo>> ListCoreAsync<TWait>(LinkReference? link, AddressFamily family, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        int index = await Pipeline.ResolveAsync<TWait>(link, cancellationToken, "ip address show").ConfigureAwait(false);
        var state = new ListState(index);
        await Pipeline.QueryAsync<TWait, (AddressFamily, int), ListState>((family, index), AddressMessages.WriteDump, state, ListHandler, ListRestart, cancellationToken).ConfigureAwait(false);
        return state.Results;
    }

    private async ValueTask<int> FlushCoreAsync<TWait>(LinkReference link, AddressFamily family, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        int deleted = 0;
        foreach (AddressInfo address in await ListCoreAsync<TWait>(link, family, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await ModifyCoreAsync<TWait>(LinuxRtnetlink.RTM_DELADDR, AddressMessages.DeleteFlags, ToDeleteSpec(address), cancellationToken).ConfigureAwait(false);
                deleted++;
            }
            catch (NetlinkException e) when (e.IsNotFound)
            {
                // Deleting a primary IPv4 address takes its secondaries with it.
            }
        }

        return deleted;
    }

    private sealed class ListState
    {
        private readonly int _index;

        internal ListState(int index) => _index = index;

        internal List<AddressInfo> Results { get; } = new();

        internal void Add(in NetlinkMessage message)
        {
            if (message.Type != LinuxRtnetlink.RTM_NEWADDR)
            {
                return;
            }

            AddressInfo? info = AddressMessages.Parse(message);
            if (info is not null && (_index == 0 || info.LinkIndex == _index))
            {
                Results.Add(info);
            }
        }
    }
}
