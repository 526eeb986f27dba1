using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using LinuxNet.Namespaces;
using LinuxNet.Route;
using LinuxNet.Samples.WireGuard.Config;
using LinuxNet.Samples.WireGuard.Crypto;
using LinuxNet.Samples.WireGuard.Device;
using LinuxNet.Samples.WireGuard.Protocol;

namespace LinuxNet.Samples.WireGuard.Lab;

/// <summary>
/// Two fresh namespaces A and B joined by a veth pair (underlay 203.0.113.1 ↔ 203.0.113.2), each running a WireGuard
/// peer — this sample or wireguard-go configured with <c>wg</c> — with tunnel addresses 198.51.100.1 and
/// 198.51.100.2. For tests and benchmarks; <see cref="Dispose"/> kills every process and removes both namespaces.
/// </summary>
public sealed class WireGuardLab : IDisposable
{
    /// <summary>The UDP port of both peers.</summary>
    public const int Port = 51820;

    private readonly List<IDisposable> _owned = new();
    private readonly Dictionary<char, Process> _processes = new();
    private readonly Dictionary<char, string> _wgDevices = new();

    private WireGuardLab(NetNamespace a, NetNamespace b, LinkManager linksA, LinkManager linksB)
    {
        A = a;
        B = b;
        LinksA = linksA;
        LinksB = linksB;
    }

    /// <summary>Underlay address of A.</summary>
    public static IPAddress UnderlayA { get; } = IPAddress.Parse("203.0.113.1");

    /// <summary>Underlay address of B.</summary>
    public static IPAddress UnderlayB { get; } = IPAddress.Parse("203.0.113.2");

    /// <summary>Underlay address of A towards C (see <see cref="AddC"/>).</summary>
    public static IPAddress UnderlayAToC { get; } = IPAddress.Parse("203.0.113.129");

    /// <summary>Underlay address of C.</summary>
    public static IPAddress UnderlayC { get; } = IPAddress.Parse("203.0.113.130");

    /// <summary>Tunnel address of C.</summary>
    public static IPAddress TunnelC { get; } = IPAddress.Parse("198.51.100.3");

    /// <summary>IPv6 tunnel address of A (with <c>ipv6: true</c> in <see cref="Config"/>).</summary>
    public static IPAddress Tunnel6A { get; } = IPAddress.Parse("2001:db8:100::1");

    /// <summary>IPv6 tunnel address of B.</summary>
    public static IPAddress Tunnel6B { get; } = IPAddress.Parse("2001:db8:100::2");

    /// <summary>Tunnel address of A.</summary>
    public static IPAddress TunnelA { get; } = IPAddress.Parse("198.51.100.1");

    /// <summary>Tunnel address of B.</summary>
    public static IPAddress TunnelB { get; } = IPAddress.Parse("198.51.100.2");

    /// <summary>Namespace A.</summary>
    public NetNamespace A { get; }

    /// <summary>Namespace B.</summary>
    public NetNamespace B { get; }

    /// <summary>Links of A.</summary>
    public LinkManager LinksA { get; }

    /// <summary>Links of B.</summary>
    public LinkManager LinksB { get; }

    /// <summary>A's private key.</summary>
    public byte[] PrivateA { get; } = Curve25519.GeneratePrivateKey();

    /// <summary>B's private key.</summary>
    public byte[] PrivateB { get; } = Curve25519.GeneratePrivateKey();

    /// <summary>C's private key.</summary>
    public byte[] PrivateC { get; } = Curve25519.GeneratePrivateKey();

    /// <summary>Namespace C, after <see cref="AddC"/>.</summary>
    public NetNamespace? C { get; private set; }

    /// <summary>The sample running in A, if any.</summary>
    public WireGuardInterface? SampleA { get; private set; }

    /// <summary>The sample running in B, if any.</summary>
    public WireGuardInterface? SampleB { get; private set; }

    /// <summary>Builds the two namespaces and the underlay.</summary>
    public static WireGuardLab Create()
    {
        NetNamespace a = NetNamespace.CreateAnonymous();
        NetNamespace b = NetNamespace.CreateAnonymous();
        LinkManager linksA = LinkManager.Open(a);
        LinkManager linksB = LinkManager.Open(b);
        var lab = new WireGuardLab(a, b, linksA, linksB);
        lab._owned.AddRange(new IDisposable[] { linksA, linksB, a, b });
        try
        {
            WithoutDad(a);
            WithoutDad(b);
            linksA.Add(new VethLinkSpec("ul0", "ul1") { PeerNamespace = b });
            linksA.SetUp("lo");
            linksB.SetUp("lo");
            linksA.Session.Addresses.Add("ul0", new IPPrefix(UnderlayA, 25));
            linksB.Session.Addresses.Add("ul1", new IPPrefix(UnderlayB, 25));
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

    /// <summary>
    /// Turns IPv6 duplicate address detection off in a lab namespace (per-namespace sysctls), so the tunnel's IPv6
    /// addresses are usable at once: a test binding one during DAD got EADDRNOTAVAIL ("Cannot assign requested address").
    /// </summary>
    private static void WithoutDad(NetNamespace ns) => ns.Run(() =>
    {
        File.WriteAllText("/proc/sys/net/ipv6/conf/all/accept_dad", "0");
        File.WriteAllText("/proc/sys/net/ipv6/conf/default/accept_dad", "0");
    });

    /// <summary>Adds a third namespace C, joined to A by a second veth pair (203.0.113.129 ↔ 203.0.113.130).</summary>
    public NetNamespace AddC()
    {
        NetNamespace c = NetNamespace.CreateAnonymous();
        _owned.Insert(0, c);
        WithoutDad(c);
        LinkManager linksC = LinkManager.Open(c);
        _owned.Insert(0, linksC);
        LinksA.Add(new VethLinkSpec("ul2", "ul3") { PeerNamespace = c });
        linksC.SetUp("lo");
        LinksA.Session.Addresses.Add("ul2", new IPPrefix(UnderlayAToC, 25));
        linksC.Session.Addresses.Add("ul3", new IPPrefix(UnderlayC, 25));
        LinksA.SetUp("ul2");
        linksC.SetUp("ul3");
        C = c;
        return c;
    }

    /// <summary>The configuration of C for a tunnel to A, and the [Peer] A needs for C.</summary>
    public (WireGuardConfig C, PeerConfig PeerOfA) ConfigC()
    {
        var config = new WireGuardConfig();
        config.Interface.PrivateKey = PrivateC;
        config.Interface.ListenPort = Port;
        config.Interface.Addresses.Add(new IPPrefix(TunnelC, 24));
        var peerA = new PeerConfig { PublicKey = Curve25519.GetPublicKey(PrivateA), Endpoint = new IPEndPoint(UnderlayAToC, Port) };
        peerA.AllowedIps.Add(new IPPrefix(TunnelA, 32));
        config.Peers.Add(peerA);
        var peerC = new PeerConfig { PublicKey = Curve25519.GetPublicKey(PrivateC), Endpoint = new IPEndPoint(UnderlayC, Port) };
        peerC.AllowedIps.Add(new IPPrefix(TunnelC, 32));
        return (config, peerC);
    }

    /// <summary>The configuration of side <paramref name="side"/> ('A' or 'B') for a tunnel to the other side.</summary>
    public WireGuardConfig Config(char side, byte[]? presharedKey = null, byte[]? peerPublicKey = null, int? persistentKeepalive = null, bool ipv6 = false)
    {
        bool isA = side == 'A';
        var config = new WireGuardConfig();
        config.Interface.PrivateKey = isA ? PrivateA : PrivateB;
        config.Interface.ListenPort = Port;
        config.Interface.Addresses.Add(new IPPrefix(isA ? TunnelA : TunnelB, 24));
        config.Interface.Mtu = WireGuardInterface.DefaultMtu;
        var peer = new PeerConfig
        {
            PublicKey = peerPublicKey ?? Curve25519.GetPublicKey(isA ? PrivateB : PrivateA),
            PresharedKey = presharedKey,
            Endpoint = new IPEndPoint(isA ? UnderlayB : UnderlayA, Port),
            PersistentKeepalive = persistentKeepalive,
        };
        peer.AllowedIps.Add(new IPPrefix(isA ? TunnelB : TunnelA, 32));
        if (ipv6)
        {
            config.Interface.Addresses.Add(new IPPrefix(isA ? Tunnel6A : Tunnel6B, 64));
            peer.AllowedIps.Add(new IPPrefix(isA ? Tunnel6B : Tunnel6A, 128));
        }

        config.Peers.Add(peer);
        return config;
    }

    /// <summary>Runs this sample on <paramref name="side"/> (with TUN offloads unless <paramref name="offloads"/> is off).</summary>
    /// <param name="side">'A', 'B' or 'C'.</param>
    /// <param name="config">Its configuration.</param>
    /// <param name="timers">Protocol timers, <see langword="null"/> for the whitepaper's.</param>
    /// <param name="log">Where the sample logs.</param>
    /// <param name="offloads">TUN offloads (see <see cref="WireGuardInterface.Up"/>).</param>
    /// <param name="name">The TUN device's name; with <paramref name="uapi"/>, make it unique on the machine.</param>
    /// <param name="uapi">Serve wg's UAPI socket, so that <c>wg show NAME</c> reads the sample.</param>
    public WireGuardInterface StartSample(char side, WireGuardConfig config, ProtocolTimers? timers = null, TextWriter? log = null, bool offloads = true, string name = "wg0", bool uapi = false)
    {
        WireGuardInterface sample = WireGuardInterface.Up(config, name, Namespace(side), timers, log, offloads, uapi);
        _owned.Insert(0, sample);
        if (side == 'A')
        {
            SampleA = sample;
        }
        else if (side == 'B')
        {
            SampleB = sample;
        }

        return sample;
    }

    /// <summary>Runs wireguard-go on <paramref name="side"/> and configures it with <c>wg setconf</c> and LinuxNet (addresses, MTU, up).</summary>
    /// <returns>The device name (unique on the machine: wireguard-go's control socket lives in the shared /var/run/wireguard).</returns>
    public string StartWireguardGo(char side, WireGuardConfig config)
    {
        NetNamespace ns = Namespace(side);
        LinkManager links = side == 'A' ? LinksA : LinksB;
        string device = "wg" + char.ToLowerInvariant(side) + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var psi = new ProcessStartInfo("wireguard-go") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-f");
        psi.ArgumentList.Add(device);
        psi.Environment["WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD"] = "1";

        // A killed wireguard-go leaves its control socket behind; wg would connect to that stale one, fail, and fall
        // back to the kernel's netlink family ("Protocol not supported"). The machine-wide directory is shared.
        // On a machine where wireguard-go never ran, the directory does not exist yet (File.Delete then throws).
        if (File.Exists(SocketPath(device)))
        {
            File.Delete(SocketPath(device));
        }

        Process process = ns.StartProcess(psi);
        _processes[side] = process;
        _wgDevices[side] = device;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (links.TryGet(device) is null || !File.Exists(SocketPath(device)))
        {
            if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new InvalidOperationException($"wireguard-go did not create {device}");
            }

            Thread.Sleep(20);
        }

        string file = Path.Combine(Path.GetTempPath(), $"linuxnet-{device}.conf");
        File.WriteAllText(file, config.Format(wgQuickKeys: false));
        try
        {
            Run(ns, "wg", "setconf", device, file);
        }
        finally
        {
            File.Delete(file);
        }

        links.SetMtu(device, config.Interface.Mtu ?? WireGuardInterface.DefaultMtu);
        foreach (IPPrefix address in config.Interface.Addresses)
        {
            links.Session.Addresses.Add(device, address);
        }

        links.SetUp(device);
        return device;
    }

    /// <summary>Kills wireguard-go on <paramref name="side"/> (its device goes with it).</summary>
    public void StopWireguardGo(char side)
    {
        if (_processes.Remove(side, out Process? process))
        {
            Kill(process);
            File.Delete(SocketPath(_wgDevices[side]));
        }
    }

    /// <summary><c>wg show DEVICE dump</c> of the wireguard-go on <paramref name="side"/>: the peer line's fields (public key, psk, endpoint, allowed ips, latest handshake, rx, tx, keepalive).</summary>
    public string[] WgPeerDump(char side)
    {
        string output = Run(Namespace(side), "wg", "show", _wgDevices[side], "dump");
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Length > 1 ? lines[1].Split('\t') : Array.Empty<string>();
    }

    /// <summary><c>wg show DEVICE</c> of the wireguard-go on <paramref name="side"/>.</summary>
    public string WgShow(char side) => Run(Namespace(side), "wg", "show", _wgDevices[side]);

    /// <summary>The namespace of a side.</summary>
    public NetNamespace Namespace(char side) => side switch
    {
        'A' => A,
        'B' => B,
        _ => C ?? throw new InvalidOperationException("call AddC first"),
    };

    /// <summary>ICMP echo from <paramref name="side"/> to <paramref name="target"/>; the number of replies.</summary>
    public int Ping(char side, IPAddress target, int count, TimeSpan timeout) => Namespace(side).Run(() =>
    {
        using var pinger = new IcmpPinger();
        int replies = 0;
        for (int i = 1; i <= count; i++)
        {
            replies += pinger.Ping(target, i, timeout).Status == PingStatus.Reply ? 1 : 0;
        }

        return replies;
    });

    /// <summary>Pings until one reply or until <paramref name="limit"/>.</summary>
    public bool PingUntilReply(char side, IPAddress target, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        for (int i = 0; clock.Elapsed < limit && i < 1000; i++)
        {
            if (Ping(side, target, 1, TimeSpan.FromMilliseconds(500)) == 1)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Binds <paramref name="socket"/>, waiting (bounded, 10 s) while the address is not usable yet: an IPv6 address on
    /// a TUN device that was down when it was added becomes usable only when IPv6 on the device is ready, some time
    /// after the device comes up (on a loaded machine, long enough for a test to bind too early).
    /// </summary>
    private static void BindWhenUsable(Socket socket, IPEndPoint endPoint)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                socket.Bind(endPoint);
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressNotAvailable && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(20);
            }
        }
    }

    /// <summary>A bounded TCP transfer from <paramref name="client"/> to a listener on <paramref name="serverAddress"/> in <paramref name="server"/>.</summary>
    /// <returns>Bytes received, whether their SHA-256 equals the sent bytes', and the time to the last byte.</returns>
    public static TransferResult Transfer(NetNamespace client, NetNamespace server, IPAddress serverAddress, long bytes, TimeSpan limit)
    {
        using Socket listener = server.Run(() =>
        {
            var s = new Socket(serverAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            BindWhenUsable(s, new IPEndPoint(serverAddress, 0));
            s.Listen(1);
            return s;
        });
        long received = 0;
        byte[] receivedHash = Array.Empty<byte>();
        var receiver = new Thread(() =>
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            try
            {
                listener.ReceiveTimeout = (int)limit.TotalMilliseconds;
                using Socket connection = listener.Accept();
                connection.ReceiveTimeout = (int)limit.TotalMilliseconds;
                byte[] buffer = new byte[256 * 1024];
                int n;
                while ((n = connection.Receive(buffer)) > 0)
                {
                    hash.AppendData(buffer, 0, n);
                    Interlocked.Add(ref received, n);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }

            receivedHash = hash.GetHashAndReset();
        }) { IsBackground = true, Name = "WireGuardLab receiver" };
        receiver.Start();

        using var sentHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using Socket sender = client.Run(() => new Socket(serverAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp));
        sender.SendTimeout = (int)limit.TotalMilliseconds;
        var clock = Stopwatch.StartNew();
        long sent = 0;
        try
        {
            sender.Connect(listener.LocalEndPoint!);
            byte[] chunk = new byte[128 * 1024];
            while (sent < bytes && clock.Elapsed < limit)
            {
                RandomNumberGenerator.Fill(chunk);
                int n = sender.Send(chunk, 0, (int)Math.Min(chunk.Length, bytes - sent), SocketFlags.None);
                sentHash.AppendData(chunk, 0, n);
                sent += n;
            }

            sender.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
        }

        receiver.Join(limit + TimeSpan.FromSeconds(5));
        clock.Stop();
        long got = Interlocked.Read(ref received);
        return new TransferResult(sent, got, got == sent && receivedHash.AsSpan().SequenceEqual(sentHash.GetHashAndReset()), clock.Elapsed);
    }

    /// <summary>Kills every process, stops the samples, removes both namespaces.</summary>
    public void Dispose()
    {
        foreach (char side in _processes.Keys.ToList())
        {
            StopWireguardGo(side);
        }

        _processes.Clear();
        foreach (IDisposable item in _owned)
        {
            try
            {
                item.Dispose();
            }
            catch (Exception e) when (e is LinuxNetException or ObjectDisposedException)
            {
            }
        }

        _owned.Clear();
    }

    private static string SocketPath(string device) => $"/var/run/wireguard/{device}.sock";

    private static void Kill(Process process)
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

    /// <summary>Runs a tool in <paramref name="ns"/> and returns its output (at most 10 s).</summary>
    /// <exception cref="InvalidOperationException">It failed or did not finish.</exception>
    public static string Run(NetNamespace ns, string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        using Process process = ns.StartProcess(psi);
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        string error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(10_000))
        {
            process.Kill();
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} did not finish");
        }

        return process.ExitCode == 0 ? output.Result : throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {error}");
    }
}
