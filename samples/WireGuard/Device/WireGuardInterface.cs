using LinuxNet.Namespaces;
using LinuxNet.Route;
using LinuxNet.Samples.WireGuard.Config;
using LinuxNet.Samples.WireGuard.Protocol;
using LinuxNet.Tun;

namespace LinuxNet.Samples.WireGuard.Device;

/// <summary>
/// What <c>wg-quick up</c> does, on LinuxNet: a TUN device with the configuration's MTU and addresses, a route per
/// allowed-IP prefix, and a <see cref="WireGuardDevice"/> on it — all in one namespace, all removed by <see cref="Dispose"/>.
/// </summary>
public sealed class WireGuardInterface : IDisposable
{
    /// <summary>WireGuard's default MTU (1500 - 80 bytes of IPv6 + UDP + WireGuard overhead).</summary>
    public const int DefaultMtu = 1420;

    private readonly TunDevice _tun;
    private readonly LinkManager _links;

    private UapiServer? _uapi;

    private WireGuardInterface(TunDevice tun, LinkManager links, WireGuardDevice device)
    {
        _tun = tun;
        _links = links;
        Device = device;
    }

    /// <summary>The protocol engine.</summary>
    public WireGuardDevice Device { get; }

    /// <summary>Brings the interface up in <paramref name="netNamespace"/> (the calling thread's when <see langword="null"/>) and starts it.</summary>
    /// <param name="config">The wg-quick configuration.</param>
    /// <param name="name">The TUN device's name.</param>
    /// <param name="netNamespace">Where; <see langword="null"/> for the calling thread's namespace.</param>
    /// <param name="timers">Protocol timers; <see langword="null"/> for the whitepaper's.</param>
    /// <param name="log">Where to log.</param>
    /// <param name="offloads">
    /// Open the TUN with a virtio-net header and checksum + TSO offloads, so the kernel hands over TCP super-frames
    /// that the device splits (fewer TUN reads, a TCP stack working in 64 KiB units); off: one packet per read.
    /// </param>
    /// <param name="uapi">Serve <c>/var/run/wireguard/NAME.sock</c> so that <c>wg show NAME</c> reads the device (<see cref="UapiServer"/>).</param>
    public static WireGuardInterface Up(WireGuardConfig config, string name, NetNamespace? netNamespace = null, ProtocolTimers? timers = null, TextWriter? log = null, bool offloads = true, bool uapi = false)
    {
        ArgumentNullException.ThrowIfNull(config);
        NetNamespace ns = netNamespace ?? NetNamespace.Current;
        try
        {
            var options = new TunDeviceOptions
            {
                Name = name,
                Mode = TunMode.Tun,
                VirtioNetHeader = offloads,
                Offloads = offloads ? TunOffloads.Checksum | TunOffloads.Tso4 | TunOffloads.Tso6 : TunOffloads.None,
            };
            TunDevice tun = TunDevice.Create(options, ns);
            LinkManager? links = null;
            WireGuardDevice? device = null;
            try
            {
                links = LinkManager.Open(ns);
                links.SetMtu(tun.Name, config.Interface.Mtu ?? DefaultMtu);
                foreach (IPPrefix address in config.Interface.Addresses)
                {
                    links.Session.Addresses.Add(tun.Name, address);
                }

                links.SetUp(tun.Name);
                foreach (PeerConfig peer in config.Peers)
                {
                    foreach (IPPrefix prefix in peer.AllowedIps)
                    {
                        links.Session.Routes.Replace(new RouteSpec(prefix.Network) { Link = tun.Name });
                    }
                }

                device = ns.Run(() => new WireGuardDevice(config, tun, timers, log));
                device.Start();
                var up = new WireGuardInterface(tun, links, device);
                if (uapi)
                {
                    try
                    {
                        up._uapi = new UapiServer(device, tun.Name, log);
                    }
                    catch
                    {
                        up.Dispose();
                        throw;
                    }
                }

                return up;
            }
            catch
            {
                device?.Dispose();
                links?.Dispose();
                tun.Dispose();
                throw;
            }
        }
        finally
        {
            if (netNamespace is null)
            {
                ns.Dispose();
            }
        }
    }

    /// <summary>Stops the device and removes the TUN device (and with it its addresses and routes).</summary>
    public void Dispose()
    {
        _uapi?.Dispose();
        Device.Dispose();
        _tun.Dispose();
        _links.Dispose();
    }
}
