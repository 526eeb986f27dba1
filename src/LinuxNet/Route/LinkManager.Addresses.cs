using System.Threading;
using System.Threading.Tasks;

namespace LinuxNet.Route;

public sealed partial class LinkManager
{
    private AddressManager? _addresses;

    /// <summary>What <c>ip addr</c> does, on this manager's socket and namespace.</summary>
    public AddressManager Addresses => _addresses ??= new AddressManager(this);

    /// <summary>Adds an address to a link. Equivalent to <c>ip addr add ADDRESS/LEN dev LINK</c>; shorthand for <c>Addresses.Add</c>.</summary>
    /// <param name="linkName">The link.</param>
    /// <param name="address">The address with its prefix length, e.g. <c>IPPrefix.Parse("198.51.100.1/24")</c>.</param>
    /// <exception cref="System.ArgumentException">The name is not a valid interface name.</exception>
    /// <exception cref="Netlink.NetlinkException">The kernel refused: <c>EEXIST</c> for a duplicate, <c>ENODEV</c> for a missing link.</exception>
    public void AddAddress(string linkName, IPPrefix address) => Addresses.Add(linkName, address);

    /// <summary>Adds an address to a link, asynchronously. Equivalent to <c>ip addr add ADDRESS/LEN dev LINK</c>.</summary>
    /// <param name="linkName">The link.</param>
    /// <param name="address">The address with its prefix length.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel has added the address.</returns>
    /// <exception cref="System.ArgumentException">The name is not a valid interface name.</exception>
    /// <exception cref="Netlink.NetlinkException">The kernel refused.</exception>
    public ValueTask AddAddressAsync(string linkName, IPPrefix address, CancellationToken cancellationToken = default)
        => Addresses.AddAsync(linkName, address, cancellationToken);
}
