using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using LinuxNet.Namespaces;
using LinuxNet.Route;
using LinuxNet.Tun;

namespace LinuxNet.Samples.TunVpn;

/// <summary>
/// The demo's topology, reusable by tests and benchmarks: two fresh namespaces A and B joined by a veth pair (the
/// underlay, 203.0.113.1 ↔ 203.0.113.2) and a tunnel between them (198.51.100.1 ↔ 198.51.100.2, MTU 1420) carried by
/// this sample's VPN, by a raw TUN-to-TUN forwarder (no encryption: the ceiling), or by wireguard-go.
/// </summary>
public sealed class VpnLab : IDisposable
{
    /// <summary>Peer A's underlay address.</summary>
    public static readonly IPPrefix UnderlayA = IPPrefix.Parse("203.0.113.1/24");

    /// <summary>Peer B's underlay address.</summary>
    public static readonly IPPrefix UnderlayB = IPPrefix.Parse("203.0.113.2/24");

    /// <summary>Peer A's tunnel address.</summary>
    public static readonly IPAddress TunnelA = IPAddress.Parse("198.51.100.1");

    /// <summary>Peer B's tunnel address.</summary>
    public static readonly IPAddress TunnelB = IPAddress.Parse("198.51.100.2");

    /// <summary>The UDP port of the tunnel.</summary>
    public const int Port = 51820;

    /// <summary>The MTU of the tunnel devices (as WireGuard's default).</summary>
    public const int TunnelMtu = 1420;

    private readonly List<IDisposable> _owned = new();
    private readonly List<Process> _processes = new();

    private VpnLab(NetNamespace a, NetNamespace b, LinkManager linksA, LinkManager linksB)
    {
        A = a;
        B = b;
        LinksA = linksA;
        LinksB = linksB;
    }

    /// <summary>Namespace of peer A.</summary>
    public NetNamespace A { get; }

    /// <summary>Namespace of peer B.</summary>
    public NetNamespace B { get; }

    /// <summary>Links of A.</summary>
    public LinkManager LinksA { get; }

    /// <summary>Links of B.</summary>
    public LinkManager LinksB { get; }

    /// <summary>The VPN peers, when the lab runs this sample's VPN.</summary>
    public VpnPeer? PeerA { get; private set; }

    /// <summary>Peer B of the VPN.</summary>
    public VpnPeer? PeerB { get; private set; }

    /// <summary>The pre-shared key of the VPN.</summary>
    public byte[] Key { get; } = RandomNumberGenerator.GetBytes(32);

    /// <summary>A's UDP socket, when the lab runs this sample's VPN.</summary>
    public Socket? UdpA { get; private set; }

    /// <summary>Builds the two namespaces and the underlay veth pair.</summary>
    public static VpnLab CreateUnderlay()
    {
        NetNamespace a = NetNamespace.CreateAnonymous();
        NetNamespace b = NetNamespace.CreateAnonymous();
        LinkManager linksA = LinkManager.Open(a);
        LinkManager linksB = LinkManager.Open(b);
        var lab = new VpnLab(a, b, linksA, linksB);
        lab._owned.AddRange(new IDisposable[] { linksA, linksB, a, b });
        try
        {
            linksA.Add(new VethLinkSpec("ul0", "ul1") { PeerNamespace = b });
            linksA.SetUp("lo");
            linksB.SetUp("lo");
            linksA.Session.Addresses.Add("ul0", UnderlayA);
            linksB.Session.Addresses.Add("ul1", UnderlayB);
            linksA.SetUp("ul0");
            linksB.SetUp("ul1");
            return lab;
        }
        catch
        {
            lab.Dispose();
            throw;
        }
    }

    /// <summary>Adds a TUN in each namespace and runs this sample's VPN between them.</summary>
    public void StartVpn()
    {
        (TunDevice tunA, TunDevice tunB) = CreateTunnelDevices();
        UdpA = Own(A.Run(() => VpnPeer.CreateSocket(new IPEndPoint(UnderlayA.Address, Port), new IPEndPoint(UnderlayB.Address, Port))));
        Socket udpB = Own(B.Run(() => VpnPeer.CreateSocket(new IPEndPoint(UnderlayB.Address, Port), new IPEndPoint(UnderlayA.Address, Port))));
        PeerA = Own(new VpnPeer("A", tunA, UdpA, Own(new PacketProtector(Key, isInitiator: true))));
        PeerB = Own(new VpnPeer("B", tunB, udpB, Own(new PacketProtector(Key, isInitiator: false))));
        PeerA.Start();
        PeerB.Start();
    }

    /// <summary>Adds a TUN in each namespace and moves frames between them directly: no UDP, no encryption.</summary>
    /// <param name="offloads">
    /// Open both devices with a virtio-net header and checksum + TSO offloads, so the kernel hands over GSO
    /// super-frames of up to 64 KiB and the forwarder passes them through whole.
    /// </param>
    public void StartRawForwarder(bool offloads = false)
    {
        (TunDevice tunA, TunDevice tunB) = CreateTunnelDevices(offloads);
        var stop = new CancellationTokenSource();
        var threads = new[] { Forward(tunA, tunB, stop.Token), Forward(tunB, tunA, stop.Token) };
        _owned.Insert(0, new Stopper(stop, threads));
    }

    /// <summary>Runs wireguard-go in each namespace (devices wgA and wgB) and configures them with <c>wg</c>.</summary>
    /// <exception cref="InvalidOperationException">wireguard-go or wg is not installed.</exception>
    public void StartWireguardGo()
    {
        string privateA = Wg(null, "genkey").Trim();
        string privateB = Wg(null, "genkey").Trim();
        string publicA = Wg(privateA, "pubkey").Trim();
        string publicB = Wg(privateB, "pubkey").Trim();
        string suffix = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        StartWireguard(A, "wga" + suffix, privateA, publicB, UnderlayB.Address, TunnelA, TunnelB, LinksA);
        StartWireguard(B, "wgb" + suffix, privateB, publicA, UnderlayA.Address, TunnelB, TunnelA, LinksB);
    }

    /// <summary>Sends up to <paramref name="bytes"/> over one TCP connection from A to B through the tunnel.</summary>
    /// <returns>The bytes B received and the time from connect to the last byte received.</returns>
    public (long Bytes, TimeSpan Duration) Transfer(long bytes, TimeSpan limit) => Transfer(A, B, TunnelB, bytes, limit);

    /// <summary>A bounded TCP transfer: a sender in <paramref name="client"/> to a listener in <paramref name="server"/>.</summary>
    /// <returns>The bytes received and the time from connect to the last byte received.</returns>
    public static (long Bytes, TimeSpan Duration) Transfer(NetNamespace client, NetNamespace server, IPAddress serverAddress, long bytes, TimeSpan limit)
    {
        using Socket listener = server.Run(() =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.Bind(new IPEndPoint(serverAddress, 0));
            s.Listen(1);
            return s;
        });
        long received = 0;
        var receiver = new Thread(() =>
        {
            try
            {
                using Socket connection = listener.Accept();
                byte[] buffer = new byte[256 * 1024];
                int n;
                while ((n = connection.Receive(buffer)) > 0)
                {
                    Interlocked.Add(ref received, n);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        }) { IsBackground = true, Name = "VpnLab receiver" };
        receiver.Start();

        using Socket sender = client.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        sender.SendTimeout = 5000;
        var clock = Stopwatch.StartNew();
        sender.Connect(listener.LocalEndPoint!);
        byte[] chunk = new byte[128 * 1024];
        Random.Shared.NextBytes(chunk);
        long sent = 0;
        while (sent < bytes && clock.Elapsed < limit)
        {
            sent += sender.Send(chunk, 0, (int)Math.Min(chunk.Length, bytes - sent), SocketFlags.None);
        }

        sender.Shutdown(SocketShutdown.Send);
        receiver.Join(TimeSpan.FromSeconds(10));
        clock.Stop();
        return (Interlocked.Read(ref received), clock.Elapsed);
    }

    /// <summary>Stops everything and removes both namespaces (and all they hold).</summary>
    public void Dispose()
    {
        foreach (Process process in _processes)
        {
            try
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
            }

            process.Dispose();
        }

        foreach (IDisposable item in _owned)
        {
            item.Dispose();
        }
    }

    private (TunDevice A, TunDevice B) CreateTunnelDevices(bool offloads = false)
    {
        var options = new TunDeviceOptions
        {
            Name = "vpn0",
            Mode = TunMode.Tun,
            VirtioNetHeader = offloads,
            Offloads = offloads ? TunOffloads.Checksum | TunOffloads.Tso4 | TunOffloads.Tso6 : TunOffloads.None,
        };
        TunDevice tunA = Own(TunDevice.Create(options, A));
        TunDevice tunB = Own(TunDevice.Create(options, B));
        ConfigureTunnel(LinksA, "vpn0", TunnelA, TunnelB);
        ConfigureTunnel(LinksB, "vpn0", TunnelB, TunnelA);
        return (tunA, tunB);
    }

    private static void ConfigureTunnel(LinkManager links, string device, IPAddress local, IPAddress remote)
    {
        links.SetMtu(device, TunnelMtu);
        links.Session.Addresses.Add(new AddressSpec(device, new IPPrefix(local, 32)) { Peer = remote });
        links.SetUp(device);
    }

    private static Thread Forward(TunDevice from, TunDevice to, CancellationToken token)
    {
        var thread = new Thread(() =>
        {
            byte[] frame = new byte[from.MaxFrameSize];
            try
            {
                while (!token.IsCancellationRequested)
                {
                    int length = from.ReadFrame(frame, token);
                    to.WriteFrame(frame.AsSpan(0, length));
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or LinuxNetException)
            {
            }
        }) { IsBackground = true, Name = "TunVpn raw forwarder" };
        thread.Start();
        return thread;
    }

    private void StartWireguard(NetNamespace ns, string device, string privateKey, string peerPublic, IPAddress peerUnderlay, IPAddress local, IPAddress remote, LinkManager links)
    {
        var psi = new ProcessStartInfo("wireguard-go") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-f");
        psi.ArgumentList.Add(device);
        // wireguard-go refuses to run on Linux (where a kernel module exists) without this variable.
        psi.Environment["WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD"] = "1";
        Process process = ns.StartProcess(psi);
        _processes.Add(process);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (links.TryGet(device) is null || !File.Exists($"/var/run/wireguard/{device}.sock"))
        {
            if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new InvalidOperationException($"wireguard-go did not create {device} (exit code {(process.HasExited ? process.ExitCode : -1)})");
            }

            Thread.Sleep(20);
        }

        string keyFile = Path.Combine(Path.GetTempPath(), $"linuxnet-{device}.key");
        File.WriteAllText(keyFile, privateKey + "\n");
        try
        {
            Run(ns, "wg", "set", device, "private-key", keyFile, "listen-port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "peer", peerPublic, "endpoint", $"{peerUnderlay}:{Port}", "allowed-ips", $"{remote}/32");
        }
        finally
        {
            File.Delete(keyFile);
        }

        ConfigureTunnel(links, device, local, remote);
    }

    private static string Wg(string? input, params string[] args)
    {
        var psi = new ProcessStartInfo("wg") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardInput = true };
        foreach (string arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(psi) ?? throw new InvalidOperationException("wg could not be started");
        if (input is not null)
        {
            process.StandardInput.WriteLine(input);
        }

        process.StandardInput.Close();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"wg {string.Join(' ', args)} failed");
    }

    private static void Run(NetNamespace ns, string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardError = true };
        foreach (string arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        using Process process = ns.StartProcess(psi);
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {error}");
        }
    }

    private T Own<T>(T item)
        where T : IDisposable
    {
        // Disposed before the namespaces and managers, which were added first.
        _owned.Insert(0, item);
        return item;
    }

    private sealed class Stopper(CancellationTokenSource stop, Thread[] threads) : IDisposable
    {
        public void Dispose()
        {
            stop.Cancel();
            foreach (Thread thread in threads)
            {
                thread.Join(TimeSpan.FromSeconds(5));
            }

            stop.Dispose();
        }
    }
}
