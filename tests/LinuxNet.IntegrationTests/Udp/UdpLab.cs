using System.Net;
using System.Net.NetworkInformation;
using System.Runtime.InteropServices;
using LinuxNet.Namespaces;
using LinuxNet.Route;
using LinuxNet.Testing;

namespace LinuxNet.IntegrationTests.Udp;

/// <summary>
/// Two anonymous namespaces joined by a veth pair: A (va: 198.51.100.1/24, 2001:db8:1::1/64) and B (vb: .2, ::2), a
/// <see cref="NetworkLab"/> (LinuxNet.Testing). Everything goes with the lab on <see cref="Dispose"/>.
/// </summary>
internal sealed class UdpLab : IDisposable
{
    public static readonly IPAddress A4 = IPAddress.Parse("198.51.100.1");
    public static readonly IPAddress B4 = IPAddress.Parse("198.51.100.2");
    public static readonly IPAddress A6 = IPAddress.Parse("2001:db8:1::1");
    public static readonly IPAddress B6 = IPAddress.Parse("2001:db8:1::2");

    private readonly NetworkLab _lab;

    public UdpLab()
    {
        _lab = new NetworkLabBuilder()
            .Namespace("a").Namespace("b")
            .Veth("a", "va", "b", "vb")
            .Address("a", "va", $"{A4}/24").Address("a", "va", $"{A6}/64")
            .Address("b", "vb", $"{B4}/24").Address("b", "vb", $"{B6}/64")
            .Build();
        try
        {
            A = _lab["a"].Namespace;
            B = _lab["b"].Namespace;

            // Permanent neighbour entries: no ARP/NDP round trip, so a datagram sent at once is never queued behind a
            // resolution that a loaded machine may delay past a test's timeout (seen once for IPv6 in CI).
            PhysicalAddress macA = _lab["a"].Session.Links.Get("va").Address!;
            PhysicalAddress macB = _lab["b"].Session.Links.Get("vb").Address!;
            foreach (IPAddress address in new[] { B4, B6 })
            {
                _lab["a"].Session.Neighbours.Replace(new NeighbourSpec(address, "va") { LinkLayerAddress = macB });
            }

            foreach (IPAddress address in new[] { A4, A6 })
            {
                _lab["b"].Session.Neighbours.Replace(new NeighbourSpec(address, "vb") { LinkLayerAddress = macA });
            }
        }
        catch
        {
            _lab.Dispose();
            throw;
        }
    }

    public NetNamespace A { get; }

    public NetNamespace B { get; }

    public static IPAddress AddressOfA(bool v6) => v6 ? A6 : A4;

    public static IPAddress AddressOfB(bool v6) => v6 ? B6 : B4;

    public void Dispose() => _lab.Dispose();

    /// <summary>Turns transmit checksum offload off on A's veth (<c>ethtool -K va tx off</c>, through SIOCETHTOOL), so the kernel refuses UDP GSO with EIO.</summary>
    public void DisableTransmitChecksumOnA() => A.Run(() => SetTransmitChecksum("va", false));

    // /usr/include/linux/sockios.h, /usr/include/linux/ethtool.h
    private const nuint SIOCETHTOOL = 0x8946;
    private const uint ETHTOOL_STXCSUM = 0x00000017;

    [DllImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static extern unsafe int Ioctl(int fd, nuint request, void* argument);

    [DllImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static extern int Socket(int domain, int type, int protocol);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);

    private static unsafe void SetTransmitChecksum(string device, bool on)
    {
        int fd = Socket(2, 2 | 0x80000, 0);
        Assert.That(fd, Is.GreaterThanOrEqualTo(0), "socket()");
        try
        {
            uint* value = stackalloc uint[2];
            value[0] = ETHTOOL_STXCSUM;
            value[1] = on ? 1u : 0u;
            byte* ifreq = stackalloc byte[40];
            new Span<byte>(ifreq, 40).Clear();
            System.Text.Encoding.ASCII.GetBytes(device).CopyTo(new Span<byte>(ifreq, 16));
            *(nint*)(ifreq + 16) = (nint)value;
            int rc = Ioctl(fd, SIOCETHTOOL, ifreq);
            Assert.That(rc, Is.Zero, $"ioctl(SIOCETHTOOL, ETHTOOL_STXCSUM) failed: errno {Marshal.GetLastWin32Error()}");
        }
        finally
        {
            Close(fd);
        }
    }
}
