using System.Net;
using System.Runtime.InteropServices;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;

namespace LinuxNet.IntegrationTests.Udp;

/// <summary>
/// Two anonymous namespaces joined by a veth pair: A (va: 198.51.100.1/24, 2001:db8:1::1/64) and B (vb: .2, ::2).
/// Everything goes with the namespaces on <see cref="Dispose"/>.
/// </summary>
internal sealed class UdpLab : IDisposable
{
    public static readonly IPAddress A4 = IPAddress.Parse("198.51.100.1");
    public static readonly IPAddress B4 = IPAddress.Parse("198.51.100.2");
    public static readonly IPAddress A6 = IPAddress.Parse("2001:db8:1::1");
    public static readonly IPAddress B6 = IPAddress.Parse("2001:db8:1::2");

    public UdpLab()
    {
        A = NetNamespace.CreateAnonymous();
        try
        {
            B = NetNamespace.CreateAnonymous();
            IpOracle.Run(A, "link", "add", "va", "type", "veth", "peer", "name", "vb", "netns", B.Path);
            foreach ((NetNamespace ns, string dev, IPAddress v4, IPAddress v6) in new[] { (A, "va", A4, A6), (B, "vb", B4, B6) })
            {
                IpOracle.Run(ns, "link", "set", "lo", "up");
                IpOracle.Run(ns, "addr", "add", $"{v4}/24", "dev", dev);
                IpOracle.Run(ns, "addr", "add", $"{v6}/64", "dev", dev, "nodad");
                IpOracle.Run(ns, "link", "set", dev, "up");
            }

            // Permanent neighbour entries: no ARP/NDP round trip, so a datagram sent at once is never queued behind a
            // resolution that a loaded machine may delay past a test's timeout (seen once for IPv6 in CI).
            string macA = Mac(A, "va");
            string macB = Mac(B, "vb");
            IpOracle.Run(A, "neigh", "replace", B4.ToString(), "lladdr", macB, "dev", "va", "nud", "permanent");
            IpOracle.Run(A, "neigh", "replace", B6.ToString(), "lladdr", macB, "dev", "va", "nud", "permanent");
            IpOracle.Run(B, "neigh", "replace", A4.ToString(), "lladdr", macA, "dev", "vb", "nud", "permanent");
            IpOracle.Run(B, "neigh", "replace", A6.ToString(), "lladdr", macA, "dev", "vb", "nud", "permanent");
        }
        catch
        {
            B?.Dispose();
            A.Dispose();
            throw;
        }
    }

    public NetNamespace A { get; }

    private static string Mac(NetNamespace ns, string dev) => IpOracle.Json(ns, "link", "show", "dev", dev)[0].GetProperty("address").GetString()!;

    public NetNamespace B { get; } = null!;

    public static IPAddress AddressOfA(bool v6) => v6 ? A6 : A4;

    public static IPAddress AddressOfB(bool v6) => v6 ? B6 : B4;

    public void Dispose()
    {
        B.Dispose();
        A.Dispose();
    }

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
