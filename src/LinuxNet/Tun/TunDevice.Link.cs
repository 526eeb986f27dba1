using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using LinuxNet.Namespaces;
using LinuxNet.Route;

namespace LinuxNet.Tun;

// The device as a network interface: where it lives and bringing it up. Uses Route/ only through its public API.
public sealed partial class TunDevice
{
    private const int MinMtu = 68;
    private const int MaxMtu = 65535;
    private const int MinIPv6Mtu = 1280;

    /// <summary>
    /// Opens the network namespace the device is in now (<c>TUNGETDEVNETNS</c>): the one it was created in, or the one
    /// it was moved to since (<c>ip link set NAME netns …</c>).
    /// </summary>
    /// <returns>A new instance the caller must dispose.</returns>
    /// <exception cref="ObjectDisposedException">The device is disposed.</exception>
    /// <exception cref="LinuxNetException">The kernel refused: CAP_NET_ADMIN in that namespace is needed (kernels before 5.2 lack the request).</exception>
    public NetNamespace OpenNetNamespace()
        => NetNamespace.FromDescriptor(new SafeFileDescriptorHandle(IoctlValue(LinuxIfTun.TUNGETDEVNETNS, 0, $"ioctl(TUNGETDEVNETNS) on '{Name}'")));

    /// <summary>
    /// Sets the MTU, adds the addresses and sets the device up, in the namespace the device is in now, through the
    /// link API: <c>ip link set NAME mtu MTU; ip addr add ADDRESS dev NAME; …; ip link set NAME up</c>.
    /// </summary>
    /// <param name="addresses">Addresses with their prefix lengths, e.g. <c>IPPrefix.Parse("198.51.100.1/24")</c>; may be empty.</param>
    /// <param name="mtu">The MTU to set first, 68–65535; 0 leaves it as it is (1500 for a new device).</param>
    /// <remarks>
    /// <para>
    /// All or nothing: when the kernel refuses a step (an address that exists already, say), the addresses this call
    /// added are deleted and the MTU is put back before the exception is thrown. Bad arguments throw before anything
    /// is sent.
    /// </para>
    /// <para>
    /// A TUN device is point-to-point without ARP, so the kernel skips duplicate address detection and IPv6 addresses
    /// are usable at once. On a TAP device they are tentative for about a second: wait with
    /// <see cref="LinkManager.WaitForAddressAsync"/> (or add them with <c>NoDad</c> through
    /// <see cref="RtnetlinkSession.Addresses"/>) before binding to them. The routes for the prefixes are the kernel's
    /// usual ones; add others with <see cref="RtnetlinkSession.Routes"/>.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="addresses"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mtu"/> is neither 0 nor 68–65535.</exception>
    /// <exception cref="ArgumentException">An address is unspecified (<c>0.0.0.0</c>, <c>::</c>) or listed twice, or an IPv6 address comes with an MTU below 1280 (IPv6's minimum).</exception>
    /// <exception cref="ObjectDisposedException">The device is disposed.</exception>
    /// <exception cref="Netlink.NetlinkException">The kernel refused a step (nothing this call did is left behind).</exception>
    public void BringUp(IEnumerable<IPPrefix> addresses, int mtu = 0)
    {
        IPPrefix[] list = ValidateBringUp(addresses, mtu);
        ThrowIfDisposed();
        string name = GetCurrentName();
        using NetNamespace ns = OpenNetNamespace();
        using LinkManager links = OpenLinkManager(ns);
        LinkInfo link = links.TryGet(name) ?? throw new InvalidOperationException($"The device '{name}' is not in its own namespace ({ns}); was it renamed just now?");
        int index = link.Index;
        int restoreMtu = mtu != 0 && mtu != link.Mtu ? link.Mtu : 0;
        var added = new List<IPPrefix>(list.Length);
        try
        {
            if (restoreMtu != 0)
            {
                links.SetMtu(index, mtu);
            }

            foreach (IPPrefix address in list)
            {
                links.Session.Addresses.Add(new AddressSpec(index, address));
                added.Add(address);
            }

            links.SetUp(index);
        }
        catch
        {
            Undo(links, index, added, restoreMtu);
            throw;
        }

        TunLog.BroughtUp(Logger, name, index, list.Length, mtu != 0 ? mtu : link.Mtu);
    }

    private static IPPrefix[] ValidateBringUp(IEnumerable<IPPrefix> addresses, int mtu)
    {
        if (addresses is null)
        {
            throw new ArgumentNullException(nameof(addresses));
        }

        if (mtu != 0 && mtu is < MinMtu or > MaxMtu)
        {
            throw new ArgumentOutOfRangeException(nameof(mtu), mtu, $"An MTU is {MinMtu} to {MaxMtu} bytes, or 0 to leave it unchanged.");
        }

        var list = new List<IPPrefix>(addresses);
        var seen = new HashSet<IPAddress>();
        foreach (IPPrefix address in list)
        {
            if (address.Address.Equals(IPAddress.Any) || address.Address.Equals(IPAddress.IPv6Any))
            {
                throw new ArgumentException($"'{address}' is an unspecified address; a device cannot have it.", nameof(addresses));
            }

            if (!seen.Add(address.Address))
            {
                throw new ArgumentException($"{address.Address} is listed twice.", nameof(addresses));
            }

            if (address.AddressFamily == AddressFamily.InterNetworkV6 && mtu is > 0 and < MinIPv6Mtu)
            {
                throw new ArgumentException($"IPv6 needs an MTU of at least {MinIPv6Mtu} bytes; with {mtu} the kernel disables IPv6 on the device, so {address} could not be added.", nameof(addresses));
            }
        }

        return list.ToArray();
    }

    private LinkManager OpenLinkManager(NetNamespace ns)
    {
        var options = new LinkManagerOptions { LoggerFactory = LoggerFactory };
        using NetNamespace current = NetNamespace.Current;
        return current == ns ? LinkManager.Open(options) : LinkManager.Open(ns, options);
    }

    private void Undo(LinkManager links, int index, List<IPPrefix> added, int restoreMtu)
    {
        foreach (IPPrefix address in added)
        {
            try
            {
                links.Session.Addresses.Delete(new AddressSpec(index, address));
            }
            catch (LinuxNetException e)
            {
                TunLog.BringUpUndoFailed(Logger, Name, $"delete {address}", e);
            }
        }

        if (restoreMtu != 0)
        {
            try
            {
                links.SetMtu(index, restoreMtu);
            }
            catch (LinuxNetException e)
            {
                TunLog.BringUpUndoFailed(Logger, Name, $"restore MTU {restoreMtu}", e);
            }
        }
    }

    /// <summary>The device's name now (<c>TUNGETIFF</c>), which a rename since creation changed.</summary>
    private unsafe string GetCurrentName()
    {
        IfReq request = default;
        IoctlPointer(LinuxIfTun.TUNGETIFF, &request, $"ioctl(TUNGETIFF) on '{Name}'");
        return ReadName(ref request);
    }
}
