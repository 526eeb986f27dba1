using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using LinuxNet.Namespaces;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

public sealed partial class LinkManager
{
    /// <summary>
    /// Opens a <see cref="RtnetlinkMonitor"/> in this manager's network namespace. Equivalent to <c>ip monitor KINDS</c>.
    /// </summary>
    /// <param name="kinds">What to receive.</param>
    /// <param name="options">Receive buffer size and logging; <see langword="null"/> for defaults.</param>
    /// <returns>The monitor; dispose it to stop.</returns>
    /// <remarks>The namespace is taken from this manager's socket (<c>SIOCGSKNS</c>), whichever thread calls.</remarks>
    /// <exception cref="ArgumentException"><paramref name="kinds"/> is empty or holds unknown bits.</exception>
    /// <exception cref="LinuxNetException">The monitor socket could not be opened.</exception>
    internal RtnetlinkMonitor Monitor(RtnetlinkEventKinds kinds, RtnetlinkMonitorOptions? options = null)
    {
        using NetNamespace ns = OpenSocketNamespace();
        return RtnetlinkMonitor.Open(ns, kinds, options);
    }

    /// <summary>
    /// Waits until <paramref name="link"/> is up with carrier (<c>IFF_UP</c> and <c>IFF_LOWER_UP</c>) —
    /// what setup scripts approximate with <c>sleep</c> after <c>ip link set NAME up</c>.
    /// </summary>
    /// <param name="link">The link, by name (it need not exist yet) or by index.</param>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> for no limit.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The link as it was when it became ready.</returns>
    /// <remarks>Subscribes to link events first, then checks the current state, then waits: a change in between is not missed.</remarks>
    /// <exception cref="ArgumentException"><paramref name="link"/> is not a valid interface name, or is <c>default(LinkReference)</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite).</exception>
    /// <exception cref="TimeoutException">The link was not ready within <paramref name="timeout"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask<LinkInfo> WaitForLinkUpAsync(LinkReference link, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        link.Validate(nameof(link), allowAlternativeName: true);
        ValidateTimeout(timeout);
        using RtnetlinkMonitor monitor = Monitor(RtnetlinkEventKinds.Links);
        using CancellationTokenSource limit = StartTimeout(timeout, cancellationToken);
        try
        {
            LinkInfo? current = await GetCurrentLinkAsync(link, limit.Token).ConfigureAwait(false);
            if (current is not null && IsUpWithCarrier(current))
            {
                return current;
            }

            await foreach (RtnetlinkEvent change in monitor.WithCancellation(limit.Token).ConfigureAwait(false))
            {
                if (change.IsOverrun)
                {
                    current = await GetCurrentLinkAsync(link, limit.Token).ConfigureAwait(false);
                }
                else if (change.Kind == RtnetlinkEventKind.Link && change.Action != RtnetlinkEventAction.Deleted)
                {
                    current = change.ToLink();
                    if (link.IsName ? current.Name != link.Name : current.Index != link.Index)
                    {
                        continue;
                    }
                }
                else
                {
                    continue;
                }

                if (current is not null && IsUpWithCarrier(current))
                {
                    return current;
                }
            }

            throw new ObjectDisposedException(nameof(LinkManager));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Link '{link}' was not up with carrier within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.");
        }
    }

    /// <summary>
    /// Waits until some interface has <paramref name="address"/> and it is no longer tentative: duplicate-address
    /// detection finished (IPv6), so the address can be bound to.
    /// </summary>
    /// <param name="address">The address (IPv4 addresses are never tentative: the wait ends once it exists).</param>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> for no limit.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the address is usable.</returns>
    /// <remarks>Subscribes to address events first, then checks the current state, then waits.</remarks>
    /// <exception cref="ArgumentException"><paramref name="address"/> is not a specific IPv4 or IPv6 address.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than infinite).</exception>
    /// <exception cref="LinuxNetException">Duplicate-address detection failed (<c>EADDRINUSE</c>): another host has the address.</exception>
    /// <exception cref="TimeoutException">The address was not usable within <paramref name="timeout"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask WaitForAddressAsync(IPAddress address, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        KernelFamily.ValidateAddress(address, nameof(address));
        ValidateTimeout(timeout);
        using RtnetlinkMonitor monitor = Monitor(RtnetlinkEventKinds.Addresses);
        using CancellationTokenSource limit = StartTimeout(timeout, cancellationToken);
        try
        {
            if (CheckAddress(await ReadinessQueries.GetAddressFlagsAsync(_pipeline, address, limit.Token).ConfigureAwait(false), address))
            {
                return;
            }

            await foreach (RtnetlinkEvent change in monitor.WithCancellation(limit.Token).ConfigureAwait(false))
            {
                if (change.IsOverrun)
                {
                    if (CheckAddress(await ReadinessQueries.GetAddressFlagsAsync(_pipeline, address, limit.Token).ConfigureAwait(false), address))
                    {
                        return;
                    }
                }
                else if (change.Kind == RtnetlinkEventKind.Address && change.Action == RtnetlinkEventAction.New && change.GetAddress().Equals(address))
                {
                    uint flags = (change.IsTentative ? LinuxIfAddr.IFA_F_TENTATIVE : 0) | (change.IsDuplicateAddressDetectionFailed ? LinuxIfAddr.IFA_F_DADFAILED : 0);
                    if (CheckAddress(flags, address))
                    {
                        return;
                    }
                }
            }

            throw new ObjectDisposedException(nameof(LinkManager));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Address {address} was not present and done with duplicate-address detection within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.");
        }
    }

    /// <summary>Waits until a route to exactly <paramref name="destination"/> exists, in any table.</summary>
    /// <param name="destination">The destination prefix (<c>0.0.0.0/0</c> or <c>::/0</c> for a default route).</param>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> for no limit.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the route exists.</returns>
    /// <remarks>Subscribes to route events first, then checks the current state, then waits.</remarks>
    /// <exception cref="ArgumentException">The prefix is empty (<c>default(IPPrefix)</c>).</exception>
    /// <exception cref="TimeoutException">No such route appeared within <paramref name="timeout"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask WaitForRouteAsync(IPPrefix destination, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        KernelFamily.ValidateAddress(destination.Address, nameof(destination), allowUnspecified: true);
        int prefixLength = destination.PrefixLength;
        ValidateTimeout(timeout);
        using RtnetlinkMonitor monitor = Monitor(RtnetlinkEventKinds.Routes);
        using CancellationTokenSource limit = StartTimeout(timeout, cancellationToken);
        try
        {
            if (await ReadinessQueries.RouteExistsAsync(_pipeline, destination.Address, prefixLength, limit.Token).ConfigureAwait(false))
            {
                return;
            }

            await foreach (RtnetlinkEvent change in monitor.WithCancellation(limit.Token).ConfigureAwait(false))
            {
                if (change.IsOverrun)
                {
                    if (await ReadinessQueries.RouteExistsAsync(_pipeline, destination.Address, prefixLength, limit.Token).ConfigureAwait(false))
                    {
                        return;
                    }
                }
                else if (change.Kind == RtnetlinkEventKind.Route && change.Action != RtnetlinkEventAction.Deleted
                    && change.RoutePrefixLength == prefixLength && change.Family == destination.AddressFamily && change.GetRouteDestination().Equals(destination.Address))
                {
                    return;
                }
            }

            throw new ObjectDisposedException(nameof(LinkManager));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No route to {destination}/{prefixLength} appeared within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.");
        }
    }

    private static bool IsUpWithCarrier(LinkInfo link) => (link.Flags & (LinkFlags.Up | LinkFlags.LowerUp)) == (LinkFlags.Up | LinkFlags.LowerUp);

    private static bool CheckAddress(uint? flags, IPAddress address)
    {
        if (flags is not uint f)
        {
            return false;
        }

        if ((f & LinuxIfAddr.IFA_F_DADFAILED) != 0)
        {
            throw new LinuxNetException(Errno.EADDRINUSE, "duplicate-address detection", $"Duplicate-address detection failed for {address}: another host on the link uses it.");
        }

        return (f & LinuxIfAddr.IFA_F_TENTATIVE) == 0;
    }

    private static void ValidateTimeout(TimeSpan timeout)
    {
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be positive, zero or Timeout.InfiniteTimeSpan.");
        }
    }

    private static CancellationTokenSource StartTimeout(TimeSpan timeout, CancellationToken cancellationToken)
    {
        CancellationTokenSource limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            limit.CancelAfter(timeout);
        }

        return limit;
    }

    private async ValueTask<LinkInfo?> GetCurrentLinkAsync(LinkReference link, CancellationToken cancellationToken)
    {
        try
        {
            return await TryGetAsync(link, cancellationToken).ConfigureAwait(false);
        }
        catch (LinuxNetException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    private unsafe NetNamespace OpenSocketNamespace()
    {
        bool added = false;
        SafeHandle handle = _socket.Handle;
        int nsfd;
        try
        {
            handle.DangerousAddRef(ref added);
            nsfd = Interop.CheckIo(Interop.Libc.Ioctl((int)handle.DangerousGetHandle(), LinuxSockios.SIOCGSKNS, 0), "ioctl(SIOCGSKNS) on the rtnetlink socket", "CAP_NET_ADMIN");
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }

        // The kernel's fresh descriptor (close-on-exec) is taken over as it is, not re-opened through a path.
        return NetNamespace.FromDescriptor(new SafeFileDescriptorHandle(nsfd));
    }
}
