using System.Net;
using LinuxNet.Namespaces;
using LinuxNet.Route;
using LinuxNet.Samples.TunVpn;
using LinuxNet.Tun;

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine("""
        usage:
          TunVpn demo [--seconds N] [--megabytes N]
              two namespaces joined by a veth pair, a peer in each, ICMP and TCP through the tunnel
          TunVpn peer --key-file FILE --role initiator|responder --address 198.51.100.1 --peer-address 198.51.100.2
                      --listen IP:PORT --remote IP:PORT [--tun NAME] [--mtu 1420] [--netns NAME]
              one side of the tunnel, until Ctrl+C (key file: 32 random bytes, e.g. head -c 32 /dev/urandom)
        """);
    return args.Length == 0 ? 64 : 0;
}

var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (int i = 1; i + 1 < args.Length; i += 2)
{
    options[args[i]] = args[i + 1];
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

try
{
    switch (args[0])
    {
        case "demo":
        {
            double seconds = options.TryGetValue("--seconds", out string? s) ? double.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : 3;
            long megabytes = options.TryGetValue("--megabytes", out string? m) ? long.Parse(m, System.Globalization.CultureInfo.InvariantCulture) : 4096;
            DemoResult result = Demo.Run(Console.Out, TimeSpan.FromSeconds(seconds), megabytes << 20, cancel.Token);
            bool ok = result.PingReplies == result.PingsSent && result.TcpBytes > 0 && result.ReverseTcpBytes > 0 && result.TamperedRejected == 1 && result.ReplaysRejected == 1;
            Console.WriteLine(ok ? "demo: tunnel works both ways; forged datagrams dropped" : "demo: an expectation did not hold");
            return ok ? 0 : 1;
        }

        case "peer":
        {
            byte[] key = File.ReadAllBytes(Required("--key-file"));
            bool initiator = Required("--role") switch
            {
                "initiator" => true,
                "responder" => false,
                var r => throw new ArgumentException($"--role must be initiator or responder, not '{r}'"),
            };
            IPAddress local = IPAddress.Parse(Required("--address"));
            IPAddress remote = IPAddress.Parse(Required("--peer-address"));
            IPEndPoint listen = IPEndPoint.Parse(Required("--listen"));
            IPEndPoint peer = IPEndPoint.Parse(Required("--remote"));
            string tunName = options.GetValueOrDefault("--tun", "vpn0");
            int mtu = int.Parse(options.GetValueOrDefault("--mtu", "1420"), System.Globalization.CultureInfo.InvariantCulture);
            using NetNamespace ns = options.TryGetValue("--netns", out string? nsName) ? NetNamespace.Open(nsName) : NetNamespace.Current;
            using LinkManager links = LinkManager.Open(ns);
            using TunDevice tun = TunDevice.Create(new TunDeviceOptions { Name = tunName, Mode = TunMode.Tun }, ns);
            links.SetMtu(tun.Name, mtu);
            links.Session.Addresses.Add(new AddressSpec(tun.Name, new IPPrefix(local, local.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)) { Peer = remote });
            links.SetUp(tun.Name);
            using var udp = ns.Run(() => VpnPeer.CreateSocket(listen, peer));
            using var protector = new PacketProtector(key, initiator);
            using var vpn = new VpnPeer(tun.Name, tun, udp, protector);
            vpn.Start();
            Console.WriteLine($"{tun.Name}: {local} <-> {remote} over {listen} <-> {peer}; Ctrl+C to stop");
            while (!cancel.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(5)))
            {
                Console.WriteLine($"out {vpn.PacketsOut} pkts / {vpn.BytesOut} B, in {vpn.PacketsIn} pkts / {vpn.BytesIn} B, rejected {vpn.Rejected}, replayed {vpn.Replayed}");
            }

            return 0;
        }

        default:
            Console.Error.WriteLine($"unknown mode '{args[0]}' (try --help)");
            return 64;
    }
}
catch (LinuxNet.LinuxNetException e)
{
    Console.Error.WriteLine($"Error: {e.Message}");
    return 1;
}

string Required(string name) => options.TryGetValue(name, out string? value) ? value : throw new ArgumentException($"{name} is required");
