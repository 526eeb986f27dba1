using System;
using System.Buffers;
using System.Net.NetworkInformation;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using LinuxNet.Namespaces;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

// Changing links: ip link add / del / set.
public sealed partial class LinkManager
{
    private const string NotSupportedText = "links are not supported by this kernel (module not loaded or not built)";

    /// <summary>Creates a link and returns its interface index.</summary>
    /// <param name="spec">What to create: a <see cref="VethLinkSpec"/>, <see cref="BridgeLinkSpec"/>, <see cref="VxlanLinkSpec"/>, …</param>
    /// <returns>The new link's index (for a veth pair, the index of the end named <see cref="LinkSpec.Name"/>).</returns>
    /// <remarks>
    /// <para>
    /// Equivalent to <c>ip link add NAME type KIND …</c>: a lower device given by name is first resolved with one
    /// <c>RTM_GETLINK</c>, then one <c>RTM_NEWLINK</c> (<c>NLM_F_CREATE|NLM_F_EXCL</c>) goes out, byte for byte as iproute2's.
    /// The kernel does not return the new index in its acknowledgement, so it is read back by name with one more
    /// <c>RTM_GETLINK</c>; if another process renamed or deleted the link in between, that lookup fails.
    /// </para>
    /// <para>Needs <c>CAP_NET_ADMIN</c> (and <c>CAP_SYS_ADMIN</c> over the target namespace for a veth peer placed elsewhere).</para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The spec is invalid (name, MTU, MAC, kind options): nothing was sent.</exception>
    /// <exception cref="NetlinkException">
    /// The kernel refused: a link by that name exists (<see cref="LinuxNetException.IsAlreadyExists"/>), the lower device
    /// is missing (<see cref="LinuxNetException.IsNotFound"/>), or the kind is not available in this kernel
    /// (<see cref="LinuxNetException.IsNotSupported"/>, message "'KIND' links are not supported by this kernel …").
    /// </exception>
    public int Add(LinkSpec spec)
    {
        ValidateSpec(spec);
        return AddCore(spec);
    }

    /// <summary><see cref="Add(LinkSpec)"/> without the argument checks (tests use it to see the kernel's own refusals).</summary>
    internal int AddCore(LinkSpec spec) => SyncWait.Complete(CreateLinkCoreAsync<SyncWait>(spec, default));

    /// <summary>Creates a link and returns its interface index, asynchronously.</summary>
    /// <param name="spec">What to create.</param>
    /// <param name="cancellationToken">Cancels the wait for replies (the kernel may still have created the link).</param>
    /// <returns>The new link's index.</returns>
    /// <remarks>Equivalent to <c>ip link add NAME type KIND …</c>; see <see cref="Add(LinkSpec)"/>.</remarks>
    /// <exception cref="ArgumentException">The spec is invalid: nothing was sent.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    /// <exception cref="OperationCanceledException">The wait was cancelled.</exception>
    public ValueTask<int> AddAsync(LinkSpec spec, CancellationToken cancellationToken = default)
    {
        ValidateSpec(spec);
        return CreateLinkCoreAsync<AsyncWait>(spec, cancellationToken);
    }

    /// <summary>
    /// Applies several changes to a link in one request, all or nothing: MTU, MAC address, transmit queue length, alias,
    /// mode, master, name, promiscuous mode and up/down.
    /// </summary>
    /// <param name="link">The link's name or index.</param>
    /// <param name="changes">What to change; properties left <see langword="null"/> stay as they are.</param>
    /// <remarks>
    /// Equivalent to <c>ip link set dev LINK mtu M address A txqueuelen Q alias S mode M master B name N promisc on up</c>:
    /// one <c>RTM_NEWLINK</c> carrying every change, byte for byte as iproute2 sends that command (see <see cref="LinkChanges"/>).
    /// A master given by name is looked up first.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="changes"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A name or value is invalid, or nothing is to be changed (nothing sent).</exception>
    /// <exception cref="NetlinkException">No such link or master, or the kernel refused a change (then it applied none of them).</exception>
    public void Change(LinkReference link, LinkChanges changes)
        => SyncWait.Complete(ChangeCoreAsync<SyncWait>(link, (changes ?? throw new ArgumentNullException(nameof(changes))).ToChange(nameof(changes)), default));

    /// <summary>Applies several changes to a link in one request, asynchronously.</summary>
    /// <param name="link">The link's name or index.</param>
    /// <param name="changes">What to change.</param>
    /// <param name="cancellationToken">Cancels the wait for the reply.</param>
    /// <returns>A task that completes when the kernel acknowledged.</returns>
    /// <remarks>Equivalent to <c>ip link set dev LINK …</c>; see <see cref="Change(LinkReference, LinkChanges)"/>.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="changes"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A name or value is invalid, or nothing is to be changed.</exception>
    /// <exception cref="NetlinkException">No such link or master, or the kernel refused a change.</exception>
    public ValueTask ChangeAsync(LinkReference link, LinkChanges changes, CancellationToken cancellationToken = default)
        => ChangeCoreAsync<AsyncWait>(link, (changes ?? throw new ArgumentNullException(nameof(changes))).ToChange(nameof(changes)), cancellationToken);

    /// <summary>Deletes a link (for a veth, both ends go).</summary>
    /// <param name="link">The link's name or index.</param>
    /// <remarks>Equivalent to <c>ip link del NAME</c>: RTM_DELLINK naming the device by index.</remarks>
    /// <exception cref="ArgumentException">The name is not a valid interface name.</exception>
    /// <exception cref="NetlinkException">No such link (<see cref="LinuxNetException.IsNotFound"/>), or another refusal.</exception>
    public void Delete(LinkReference link)
        => SyncWait.Complete(DeleteLinkCoreAsync<SyncWait>(link, default));

    /// <summary>Deletes a link, asynchronously.</summary>
    /// <param name="link">The link's name or index.</param>
    /// <param name="cancellationToken">Cancels the wait for the reply.</param>
    /// <returns>A task that completes when the kernel acknowledged.</returns>
    /// <remarks>Equivalent to <c>ip link del NAME</c>.</remarks>
    /// <exception cref="ArgumentException">The name is not a valid interface name.</exception>
    /// <exception cref="NetlinkException">No such link, or another refusal.</exception>
    public ValueTask DeleteAsync(LinkReference link, CancellationToken cancellationToken = default)
        => DeleteLinkCoreAsync<AsyncWait>(link, cancellationToken);

    /// <summary>Brings a link up.</summary>
    /// <param name="link">The link's name or index.</param>
    /// <remarks>Equivalent to <c>ip link set dev NAME up</c>: <c>ifi_flags = ifi_change = IFF_UP</c>, no attributes.</remarks>
    /// <exception cref="ArgumentException">The name is not a valid interface name.</exception>
    /// <exception cref="NetlinkException">No such link, or another refusal.</exception>
    public void SetUp(LinkReference link) => Set(link, new LinkChange { Up = true }, "ip link set up");

    /// <summary>Brings a link up, asynchronously.</summary>
    /// <param name="link">The link's name or index.</param>
    /// <param name="cancellationToken">Cancels the wait for the reply.</param>
    /// <returns>A task that completes when the kernel acknowledged.</returns>
    /// <remarks>Equivalent to <c>ip link set dev NAME up</c>.</remarks>
    /// <exception cref="ArgumentException">The name is not a valid interface name.</exception>
    /// <exception cref="NetlinkException">No such link, or another refusal.</exception>
    public ValueTask SetUpAsync(LinkReference link, CancellationToken cancellationToken = default)
        => SetAsync(link, new LinkChange { Up = true }, "ip link set up", cancellationToken);

    /// <summary>Takes a link down.</summary>
    /// <param name="link">The link's name or index.</param>
    /// <remarks>Equivalent to <c>ip link set dev NAME down</c>: <c>ifi_flags = 0</c>, <c>ifi_change = IFF_UP</c>.</remarks>
    /// <exception cref="ArgumentException">The name is not a valid interface name.</exception>
    /// <exception cref="NetlinkException">No such link, or another refusal.</exception>
    public void SetDown(LinkReference link) => Set(link, new LinkChange { Up = false }, "ip link set down");

    /// <summary>Takes a link down, asynchronously.</summary>
    /// <param name="link">The link's name or index.</param>
    /// <param name="cancellationToken">Cancels the wait for the reply.</param>
    /// <returns>A task that completes when the kernel acknowledged.</returns>
    /// <remarks>Equivalent to <c>ip link set dev NAME down</c>.</remarks>
    /// <exception cref="ArgumentException">The name is not a valid interface name.</exception>
    /// <exception cref="NetlinkException">No such link, or another refusal.</exception>
    public ValueTask SetDownAsync(LinkReference link, CancellationToken cancellationToken = default)
        => SetAsync(link, new LinkChange { Up = false }, "ip link set down", cancellationToken);

    /// <summary>Turns promiscuous mode on or off.</summary>
    /// <param name="link">The link's name or index.</param>
    /// <param name="enabled">On or off.</param>
    /// <remarks>Equivalent to <c>ip link set dev NAME promisc on|off</c>: <c>ifi_change = IFF_PROMISC</c>.</remarks>
    /// <exception cref="ArgumentException">The name is not a valid interface name.</exception>
    /// <exception cref="NetlinkException">No such link, or another refusal.</exception>
    public void SetPromiscuous(LinkReference link, bool enabled) => Set(link, new LinkChange { Promiscuous = enabled }, "ip link set promisc");

    /// <summary>Turns promiscuous mode on or off, asynchronously.</summary>
    /// <param name="link">The link's name or index.</param>
    /// <param name="enabled">On or off.</param>
    /// <param name="cancellationToken">Cancels the wait for the reply.</param>
    /// <returns>A task that completes when the kernel acknowledged.</returns>
    /// <remarks>Equivalent to <c>ip link set dev NAME promisc on|off</c>.</remarks>
    /// <exception cref="ArgumentException">The name is not a valid interface name.</exception>
    /// <exception cref="NetlinkException">No such link, or another refusal.</exception>
    public ValueTask SetPromiscuousAsync(LinkReference link, bool enabled, CancellationToken cancellationToken = default)
        => SetAsync(link, new LinkChange { Promiscuous = enabled }, "ip link set promisc", cancellationToken);

    /// <summary>Sets a link's MTU.</summary>
    /// <param name="link">The link's name or index.</param>
    /// <param name="mtu">The MTU, 68–65535 (the device may allow less: see <see cref="LinkInfo.MaxMtu"/>).</param>
    /// <remarks>Equivalent to <c>ip link set dev NAME mtu MTU</c>: <c>IFLA_MTU</c>.</remarks>
    /// <exception cref="ArgumentException">The name is invalid or <paramref name="mtu"/> is out of range (nothing sent).</exception>
    /// <exception cref="NetlinkException">No such link, or the device refused the MTU (e.g. "mtu greater than device maximum").</exception>
    public void SetMtu(LinkReference link, int mtu)
    {
        LinkSpec.ValidateMtu(mtu, nameof(mtu));
        Set(link, new LinkChange { Mtu = mtu }, "ip link set mtu");
    }

    /// <summary>Sets a link's MTU, asynchronously.</summary>
    /// <param name="link">The link's name or index.</param>
    /// <param name="mtu">The MTU, 68–65535.</param>
    /// <param name="cancellationToken">Cancels the wait for the reply.</param>
    /// <returns>A task that completes when the kernel acknowledged.</returns>
    /// <remarks>Equivalent to <c>ip link set dev NAME mtu MTU</c>.</remarks>
    /// <exception cref="ArgumentException">The name is invalid or <paramref name="mtu"/> is out of range.</exception>
    /// <exception cref="NetlinkException">No such link, or the device refused the MTU.</exception>
    public ValueTask SetMtuAsync(LinkReference link, int mtu, CancellationToken cancellationToken = default)
    {
        LinkSpec.ValidateMtu(mtu, nameof(mtu));
        return SetAsync(link, new LinkChange { Mtu = mtu }, "ip link set mtu", cancellationToken);
    }

    /// <summary>Sets a link's MAC address.</summary>
    /// <param name="link">The link's name or index.</param>
    /// <param name="address">The address (not empty).</param>
    /// <remarks>Equivalent to <c>ip link set dev NAME address MAC</c>: <c>IFLA_ADDRESS</c>.</remarks>
    /// <exception cref="ArgumentException">The name is invalid or the address is empty (nothing sent).</exception>
    /// <exception cref="NetlinkException">No such link, or the device refused the address.</exception>
    public void SetAddress(LinkReference link, PhysicalAddress address)
    {
        CheckAddress(address);
        Set(link, new LinkChange { Address = address }, "ip link set address");
    }

    /// <summary>Sets a link's MAC address, asynchronously.</summary>
    /// <param name="link">The link's name or index.</param>
    /// <param name="address">The address (not empty).</param>
    /// <param name="cancellationToken">Cancels the wait for the reply.</param>
    /// <returns>A task that completes when the kernel acknowledged.</returns>
    /// <remarks>Equivalent to <c>ip link set dev NAME address MAC</c>.</remarks>
    /// <exception cref="ArgumentException">The name is invalid or the address is empty.</exception>
    /// <exception cref="NetlinkException">No such link, or the device refused the address.</exception>
    public ValueTask SetAddressAsync(LinkReference link, PhysicalAddress address, CancellationToken cancellationToken = default)
    {
        CheckAddress(address);
        return SetAsync(link, new LinkChange { Address = address }, "ip link set address", cancellationToken);
    }

    /// <summary>Renames a link (the kernel refuses while it is up).</summary>
    /// <param name="link">The link's current name or index.</param>
    /// <param name="newName">The new name.</param>
    /// <remarks>Equivalent to <c>ip link set dev NAME name NEWNAME</c>: <c>IFLA_IFNAME</c>.</remarks>
    /// <exception cref="ArgumentException">A name is not a valid interface name (nothing sent).</exception>
    /// <exception cref="NetlinkException">No such link, the new name is taken (<see cref="LinuxNetException.IsAlreadyExists"/>), or the link is up (<c>EBUSY</c>).</exception>
    public void SetName(LinkReference link, string newName)
    {
        InterfaceName.Validate(newName, nameof(newName));
        Set(link, new LinkChange { Name = newName }, "ip link set name");
    }

    /// <summary>Renames a link, asynchronously.</summary>
    /// <param name="link">The link's current name or index.</param>
    /// <param name="newName">The new name.</param>
    /// <param name="cancellationToken">Cancels the wait for the reply.</param>
    /// <returns>A task that completes when the kernel acknowledged.</returns>
    /// <remarks>Equivalent to <c>ip link set dev NAME name NEWNAME</c>.</remarks>
    /// <exception cref="ArgumentException">A name is not a valid interface name.</exception>
    /// <exception cref="NetlinkException">No such link, the new name is taken, or the link is up.</exception>
    public ValueTask SetNameAsync(LinkReference link, string newName, CancellationToken cancellationToken = default)
    {
        InterfaceName.Validate(newName, nameof(newName));
        return SetAsync(link, new LinkChange { Name = newName }, "ip link set name", cancellationToken);
    }

    /// <summary>Sets or clears a link's alias.</summary>
    /// <param name="link">The link's name or index.</param>
    /// <param name="alias">The alias (at most 255 UTF-8 bytes); <see langword="null"/> or empty removes it.</param>
    /// <remarks>Equivalent to <c>ip link set dev NAME alias TEXT</c>: <c>IFLA_IFALIAS</c>, sent without a NUL as iproute2 does.</remarks>
    /// <exception cref="ArgumentException">The name is invalid or the alias is too long (nothing sent).</exception>
    /// <exception cref="NetlinkException">No such link, or another refusal.</exception>
    public void SetAlias(LinkReference link, string? alias) => Set(link, new LinkChange { Alias = EncodeAlias(alias, nameof(alias)) }, "ip link set alias");

    /// <summary>Sets or clears a link's alias, asynchronously.</summary>
    /// <param name="link">The link's name or index.</param>
    /// <param name="alias">The alias; <see langword="null"/> or empty removes it.</param>
    /// <param name="cancellationToken">Cancels the wait for the reply.</param>
    /// <returns>A task that completes when the kernel acknowledged.</returns>
    /// <remarks>Equivalent to <c>ip link set dev NAME alias TEXT</c>.</remarks>
    /// <exception cref="ArgumentException">The name is invalid or the alias is too long.</exception>
    /// <exception cref="NetlinkException">No such link, or another refusal.</exception>
    public ValueTask SetAliasAsync(LinkReference link, string? alias, CancellationToken cancellationToken = default)
        => SetAsync(link, new LinkChange { Alias = EncodeAlias(alias, nameof(alias)) }, "ip link set alias", cancellationToken);

    /// <summary>Sets a link's transmit queue length.</summary>
    /// <param name="link">The link's name or index.</param>
    /// <param name="length">The queue length in packets (not negative).</param>
    /// <remarks>Equivalent to <c>ip link set dev NAME txqueuelen N</c>: <c>IFLA_TXQLEN</c>.</remarks>
    /// <exception cref="ArgumentException">The name is invalid or the length is negative (nothing sent).</exception>
    /// <exception cref="NetlinkException">No such link, or another refusal.</exception>
    public void SetTransmitQueueLength(LinkReference link, int length)
    {
        CheckQueueLength(length);
        Set(link, new LinkChange { TransmitQueueLength = length }, "ip link set txqueuelen");
    }

    /// <summary>Sets a link's transmit queue length, asynchronously.</summary>
    /// <param name="link">The link's name or index.</param>
    /// <param name="length">The queue length in packets.</param>
    /// <param name="cancellationToken">Cancels the wait for the reply.</param>
    /// <returns>A task that completes when the kernel acknowledged.</returns>
    /// <remarks>Equivalent to <c>ip link set dev NAME txqueuelen N</c>.</remarks>
    /// <exception cref="ArgumentException">The name is invalid or the length is negative.</exception>
    /// <exception cref="NetlinkException">No such link, or another refusal.</exception>
    public ValueTask SetTransmitQueueLengthAsync(LinkReference link, int length, CancellationToken cancellationToken = default)
    {
        CheckQueueLength(length);
        return SetAsync(link, new LinkChange { TransmitQueueLength = length }, "ip link set txqueuelen", cancellationToken);
    }

    /// <summary>Sets a link's mode: whether something other than the carrier must bring its operational state up.</summary>
    /// <param name="link">The link's name or index.</param>
    /// <param name="mode">The mode; <see cref="LinkMode.Dormant"/> holds the link in <see cref="OperationalState.Dormant"/> until a supplicant moves it.</param>
    /// <remarks>Equivalent to <c>ip link set dev NAME mode default|dormant|testing</c>: <c>IFLA_LINKMODE</c>. Read it back as <see cref="LinkInfo.Mode"/>.</remarks>
    /// <exception cref="ArgumentException">The name is invalid or <paramref name="mode"/> is not a defined value (nothing sent).</exception>
    /// <exception cref="NetlinkException">No such link, or another refusal.</exception>
    public void SetMode(LinkReference link, LinkMode mode)
    {
        CheckMode(mode);
        Set(link, new LinkChange { Mode = mode }, "ip link set mode");
    }

    /// <summary>Sets a link's mode, asynchronously.</summary>
    /// <param name="link">The link's name or index.</param>
    /// <param name="mode">The mode.</param>
    /// <param name="cancellationToken">Cancels the wait for the reply.</param>
    /// <returns>A task that completes when the kernel acknowledged.</returns>
    /// <remarks>Equivalent to <c>ip link set dev NAME mode MODE</c>.</remarks>
    /// <exception cref="ArgumentException">The name is invalid or <paramref name="mode"/> is not a defined value.</exception>
    /// <exception cref="NetlinkException">No such link, or another refusal.</exception>
    public ValueTask SetModeAsync(LinkReference link, LinkMode mode, CancellationToken cancellationToken = default)
    {
        CheckMode(mode);
        return SetAsync(link, new LinkChange { Mode = mode }, "ip link set mode", cancellationToken);
    }

    /// <summary>Enslaves a link to a master (a bridge or bond).</summary>
    /// <param name="link">The link's name or index.</param>
    /// <param name="master">The master's name or index.</param>
    /// <remarks>Equivalent to <c>ip link set dev NAME master MASTER</c>: <c>IFLA_MASTER</c>.</remarks>
    /// <exception cref="ArgumentException">A name is invalid (nothing sent).</exception>
    /// <exception cref="NetlinkException">No such link or master, or the master refused the port.</exception>
    public void SetMaster(LinkReference link, LinkReference master)
    {
        master.Validate(nameof(master), allowAlternativeName: true);
        Set(link, new LinkChange { Master = master }, "ip link set master");
    }

    /// <summary>Enslaves a link to a master, asynchronously.</summary>
    /// <param name="link">The link's name or index.</param>
    /// <param name="master">The master's name or index.</param>
    /// <param name="cancellationToken">Cancels the wait for the reply.</param>
    /// <returns>A task that completes when the kernel acknowledged.</returns>
    /// <remarks>Equivalent to <c>ip link set dev NAME master MASTER</c>.</remarks>
    /// <exception cref="ArgumentException">A name is invalid.</exception>
    /// <exception cref="NetlinkException">No such link or master, or the master refused the port.</exception>
    public ValueTask SetMasterAsync(LinkReference link, LinkReference master, CancellationToken cancellationToken = default)
    {
        master.Validate(nameof(master), allowAlternativeName: true);
        return SetAsync(link, new LinkChange { Master = master }, "ip link set master", cancellationToken);
    }

    /// <summary>Releases a link from its master.</summary>
    /// <param name="link">The link's name or index.</param>
    /// <remarks>Equivalent to <c>ip link set dev NAME nomaster</c>: <c>IFLA_MASTER = 0</c>.</remarks>
    /// <exception cref="ArgumentException">The name is invalid (nothing sent).</exception>
    /// <exception cref="NetlinkException">No such link, or another refusal.</exception>
    public void SetNoMaster(LinkReference link) => Set(link, new LinkChange { NoMaster = true }, "ip link set nomaster");

    /// <summary>Releases a link from its master, asynchronously.</summary>
    /// <param name="link">The link's name or index.</param>
    /// <param name="cancellationToken">Cancels the wait for the reply.</param>
    /// <returns>A task that completes when the kernel acknowledged.</returns>
    /// <remarks>Equivalent to <c>ip link set dev NAME nomaster</c>.</remarks>
    /// <exception cref="ArgumentException">The name is invalid.</exception>
    /// <exception cref="NetlinkException">No such link, or another refusal.</exception>
    public ValueTask SetNoMasterAsync(LinkReference link, CancellationToken cancellationToken = default)
        => SetAsync(link, new LinkChange { NoMaster = true }, "ip link set nomaster", cancellationToken);

    /// <summary>Moves a link into another network namespace (it disappears from this one; its index may change there).</summary>
    /// <param name="link">The link's name or index.</param>
    /// <param name="target">The namespace to move it to.</param>
    /// <remarks>
    /// Equivalent to <c>ip link set dev NAME netns NS</c>: <c>IFLA_NET_NS_FD</c> holding <paramref name="target"/>'s own
    /// descriptor (never a re-opened path, which for an anonymous namespace could name another object by then).
    /// Needs <c>CAP_NET_ADMIN</c> in both namespaces.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="target"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="target"/> is disposed (nothing sent).</exception>
    /// <exception cref="ArgumentException">The name is invalid (nothing sent).</exception>
    /// <exception cref="NetlinkException">No such link, a link of that name exists there (<see cref="LinuxNetException.IsAlreadyExists"/>), or the device cannot move (loopback, bridges with ports…).</exception>
    public void SetNamespace(LinkReference link, NetNamespace target)
    {
        link.Validate(nameof(link), allowAlternativeName: true);
        using NamespaceDescriptor fd = (target ?? throw new ArgumentNullException(nameof(target))).Lease();
        Set(link, new LinkChange { NamespaceFd = fd.Fd }, "ip link set netns");
    }

    /// <summary>Moves a link into another network namespace, asynchronously.</summary>
    /// <param name="link">The link's name or index.</param>
    /// <param name="target">The namespace to move it to.</param>
    /// <param name="cancellationToken">Cancels the wait for the reply.</param>
    /// <returns>A task that completes when the kernel acknowledged.</returns>
    /// <remarks>Equivalent to <c>ip link set dev NAME netns NS</c>.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="target"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The name is invalid.</exception>
    /// <exception cref="NetlinkException">No such link, or the move was refused.</exception>
    public async ValueTask SetNamespaceAsync(LinkReference link, NetNamespace target, CancellationToken cancellationToken = default)
    {
        link.Validate(nameof(link), allowAlternativeName: true);
        using NamespaceDescriptor fd = (target ?? throw new ArgumentNullException(nameof(target))).Lease();
        await SetAsync(link, new LinkChange { NamespaceFd = fd.Fd }, "ip link set netns", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Moves a link into the network namespace of a process.</summary>
    /// <param name="link">The link's name or index.</param>
    /// <param name="processId">The process whose namespace receives the link.</param>
    /// <remarks>Equivalent to <c>ip link set dev NAME netns PID</c>: <c>IFLA_NET_NS_PID</c>.</remarks>
    /// <exception cref="ArgumentException">The name is invalid or <paramref name="processId"/> is not positive (nothing sent).</exception>
    /// <exception cref="NetlinkException">No such link or process (<c>ESRCH</c>), or the move was refused.</exception>
    public void SetProcessNamespace(LinkReference link, int processId)
    {
        CheckProcessId(processId);
        Set(link, new LinkChange { NamespacePid = processId }, "ip link set netns");
    }

    /// <summary>Moves a link into the network namespace of a process, asynchronously.</summary>
    /// <param name="link">The link's name or index.</param>
    /// <param name="processId">The process whose namespace receives the link.</param>
    /// <param name="cancellationToken">Cancels the wait for the reply.</param>
    /// <returns>A task that completes when the kernel acknowledged.</returns>
    /// <remarks>Equivalent to <c>ip link set dev NAME netns PID</c>.</remarks>
    /// <exception cref="ArgumentException">The name is invalid or <paramref name="processId"/> is not positive.</exception>
    /// <exception cref="NetlinkException">No such link or process, or the move was refused.</exception>
    public ValueTask SetProcessNamespaceAsync(LinkReference link, int processId, CancellationToken cancellationToken = default)
    {
        CheckProcessId(processId);
        return SetAsync(link, new LinkChange { NamespacePid = processId }, "ip link set netns", cancellationToken);
    }

    private static void ValidateSpec(LinkSpec spec)
    {
        if (spec is null)
        {
            throw new ArgumentNullException(nameof(spec));
        }

        spec.Validate();
    }

    private void Set(LinkReference link, LinkChange change, string what)
        => SyncWait.Complete(SetCoreAsync<SyncWait>(link, change, what, default));

    private ValueTask SetAsync(LinkReference link, LinkChange change, string what, CancellationToken cancellationToken)
        => SetCoreAsync<AsyncWait>(link, change, what, cancellationToken);

    private async ValueTask SetCoreAsync<TWait>(LinkReference link, LinkChange change, string what, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        link.Validate(nameof(link), allowAlternativeName: true);
        int index = await _pipeline.ResolveAsync<TWait>(link, cancellationToken, "ip link set").ConfigureAwait(false);
        int master = await _pipeline.ResolveAsync<TWait>(change.Master, cancellationToken, "ip link set master").ConfigureAwait(false);
        try
        {
            await _pipeline.ExecuteAsync<TWait, (int, LinkChange, int)>((index, change, master), LinkMessages.WriteChange, cancellationToken).ConfigureAwait(false);
        }
        catch (NetlinkException e)
        {
            throw Rewrap(e, $"{what} (link {link})");
        }
    }

    /// <summary>
    /// One request with every change; when the kernel refuses it, the properties it may already have applied (its
    /// <c>do_setlink</c> applies them one after the other, e.g. the MTU before a rename that then fails) are put back
    /// from the state read just before, so the change is all or nothing.
    /// </summary>
    private async ValueTask ChangeCoreAsync<TWait>(LinkReference link, LinkChange change, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        link.Validate(nameof(link), allowAlternativeName: true);
        LinkInfo? before = await GetLinkCoreAsync<TWait>(link, cancellationToken).ConfigureAwait(false);
        try
        {
            await SetCoreAsync<TWait>(before is null ? link : before.Index, change, $"ip link set dev {link}", cancellationToken).ConfigureAwait(false);
        }
        catch (NetlinkException) when (before is not null)
        {
            try
            {
                await SetCoreAsync<TWait>(before.Index, Undo(before, change), "ip link set (undo)", cancellationToken).ConfigureAwait(false);
            }
            catch (NetlinkException)
            {
                // Best effort: the caller gets the kernel's refusal of the change itself.
            }

            throw;
        }
    }

    /// <summary>The change that puts back every property <paramref name="change"/> touches, as <paramref name="before"/> had it.</summary>
    private static LinkChange Undo(LinkInfo before, LinkChange change) => new()
    {
        Up = change.Up is null ? null : (before.Flags & LinkFlags.Up) != 0,
        Promiscuous = change.Promiscuous is null ? null : (before.Flags & LinkFlags.Promiscuous) != 0,
        Mtu = change.Mtu is null ? null : before.Mtu,
        Address = change.Address is null ? null : before.Address,
        TransmitQueueLength = change.TransmitQueueLength is null ? null : before.TransmitQueueLength,
        Alias = change.Alias is null ? null : EncodeAlias(before.Alias, "alias"),
        Mode = change.Mode is null ? null : before.Mode,
        Master = change.HasMaster && before.MasterIndex is { } master ? master : null,
        NoMaster = change.HasMaster && before.MasterIndex is null,
        Name = change.Name is null ? null : before.Name,
    };

    private async ValueTask DeleteLinkCoreAsync<TWait>(LinkReference link, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        link.Validate(nameof(link), allowAlternativeName: true);
        int index = await _pipeline.ResolveAsync<TWait>(link, cancellationToken, "ip link del").ConfigureAwait(false);
        try
        {
            await _pipeline.ExecuteAsync<TWait, int>(index, LinkMessages.WriteDelete, cancellationToken).ConfigureAwait(false);
        }
        catch (NetlinkException e)
        {
            throw Rewrap(e, $"ip link del (link {link})");
        }
    }

    private async ValueTask<int> CreateLinkCoreAsync<TWait>(LinkSpec spec, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        // Leased first: a disposed peer namespace fails before anything is sent.
        using (NamespaceDescriptor peerNamespace = spec.PeerNamespaceToOpen?.Lease() ?? default)
        {
            int lower = await _pipeline.ResolveAsync<TWait>(spec.LowerLink, cancellationToken, "ip link add").ConfigureAwait(false);
            var request = (spec, lower, peerNamespace.Fd);
            try
            {
                await _pipeline.ExecuteAsync<TWait, (LinkSpec, int, int)>(request, WriteCreate, cancellationToken).ConfigureAwait(false);
            }
            catch (NetlinkException e)
            {
                // The pipeline's buffer is gone: encode the request again to map the kernel's attribute offset.
                byte[] sent = new byte[RequestPipeline.DefaultRequestSize];
                int length = RequestPipeline.Encode(sent, request, WriteCreate);
                throw CreateFailed(e, spec, sent.AsSpan(0, length));
            }
        }

        return await _pipeline.GetIndexAsync<TWait>(spec.Name, cancellationToken).ConfigureAwait(false);
    }

    private static void WriteCreate(ref NetlinkMessageWriter writer, (LinkSpec Spec, int Lower, int PeerNamespaceFd) request)
        => LinkMessages.WriteCreate(ref writer, request.Spec, request.Lower, request.PeerNamespaceFd);

    private static NetlinkException CreateFailed(NetlinkException e, LinkSpec spec, ReadOnlySpan<byte> request)
    {
        e = LinkErrorPath.Refine(e, request, spec.Kind);
        string what = $"ip link add {spec.Name} type {spec.Kind}";
        if (e.Errno == Errno.EOPNOTSUPP)
        {
            // rtnl_newlink says "Unknown device type" when no driver has the kind; a driver that has it refuses an
            // option it was built without with a bare EOPNOTSUPP. Blame the kind only in the first case.
            bool unknownKind = e.ExtendedAckMessage is { } ack && ack.StartsWith("Unknown device type", StringComparison.Ordinal);
            string message = !unknownKind && spec.OptionalKernelFeatures is { } options
                ? $"{what} failed with EOPNOTSUPP: this kernel has '{spec.Kind}' links but not an option of this request: {options}"
                    + (e.ExtendedAckMessage is { } detail ? $". Error: {detail}." : ".")
                : $"'{spec.Kind}' {NotSupportedText}: {what} failed with EOPNOTSUPP"
                    + (e.ExtendedAckMessage is { } text ? $". Error: {text}." : ".");
            return Rewrap(e, what, message);
        }

        return Rewrap(e, what);
    }

    private static void CheckAddress(PhysicalAddress address)
    {
        if (address is null)
        {
            throw new ArgumentNullException(nameof(address));
        }

        LinkSpec.ValidateAddress(address, nameof(address));
    }

    internal static void CheckMode(LinkMode mode, string parameterName = "mode")
    {
        if (mode is not (LinkMode.Default or LinkMode.Dormant or LinkMode.Testing))
        {
            throw new ArgumentOutOfRangeException(parameterName, mode, "A link mode is Default, Dormant or Testing.");
        }
    }

    internal static void CheckQueueLength(int length, string parameterName = "length")
    {
        if (length < 0)
        {
            throw new ArgumentOutOfRangeException(parameterName, length, "The transmit queue length must not be negative.");
        }
    }

    private static void CheckProcessId(int processId)
    {
        if (processId <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(processId), processId, "A process id is a positive number.");
        }
    }

    internal static byte[] EncodeAlias(string? alias, string parameterName)
    {
        if (string.IsNullOrEmpty(alias))
        {
            return Array.Empty<byte>();
        }

        byte[] bytes = Encoding.UTF8.GetBytes(alias);
        if (bytes.Length > 255 || Array.IndexOf(bytes, (byte)0) >= 0)
        {
            throw new ArgumentException("An alias is at most 255 UTF-8 bytes (IFALIASZ - 1) and holds no NUL.", parameterName);
        }

        return bytes;
    }
}
