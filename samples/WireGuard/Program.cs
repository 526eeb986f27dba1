using System.Runtime.InteropServices;
using LinuxNet.Samples.WireGuard.Config;
using LinuxNet.Samples.WireGuard.Crypto;
using LinuxNet.Samples.WireGuard.Device;

namespace LinuxNet.Samples.WireGuard;

/// <summary>
/// <c>wireguard-sample up CONFIG [--name wg0] [--show-every SECONDS]</c> brings up a WireGuard interface from a
/// wg-quick file in the current namespace and runs until Ctrl+C (or SIGTERM), printing <c>wg show</c>'s view
/// (and serving it to the real <c>wg show NAME</c> on /var/run/wireguard/NAME.sock);
/// <c>genkey</c> and <c>pubkey</c> do what <c>wg genkey</c> and <c>wg pubkey</c> do.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        try
        {
            return args.FirstOrDefault() switch
            {
                "genkey" => GenKey(),
                "pubkey" => PubKey(),
                "up" when args.Length >= 2 => Up(args[1], args.Skip(2).ToArray()),
                _ => Usage(),
            };
        }
        catch (Exception e) when (e is FormatException or ArgumentException or IOException or UnauthorizedAccessException or LinuxNetException)
        {
            Console.Error.WriteLine($"wireguard-sample: {e.Message}");
            return 1;
        }
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: wireguard-sample up CONFIG [--name wg0] [--show-every SECONDS] | genkey | pubkey");
        return 2;
    }

    private static int GenKey()
    {
        Console.WriteLine(WireGuardKey.Format(Curve25519.GeneratePrivateKey()));
        return 0;
    }

    private static int PubKey()
    {
        string line = Console.In.ReadLine()?.Trim() ?? string.Empty;
        Console.WriteLine(WireGuardKey.Format(Curve25519.GetPublicKey(WireGuardKey.Parse(line))));
        return 0;
    }

    private static int Up(string path, string[] options)
    {
        string name = "wg0";
        TimeSpan showEvery = TimeSpan.FromSeconds(10);
        for (int i = 0; i + 1 < options.Length; i += 2)
        {
            switch (options[i])
            {
                case "--name":
                    name = options[i + 1];
                    break;
                case "--show-every":
                    showEvery = TimeSpan.FromSeconds(int.Parse(options[i + 1], System.Globalization.CultureInfo.InvariantCulture));
                    break;
                default:
                    return Usage();
            }
        }

        WireGuardConfig config = WireGuardConfig.Load(path);
        using var stop = new ManualResetEventSlim();
        using var device = WireGuardInterface.Up(config, name, log: Console.Error, uapi: true);
        Exception? fault = null;
        device.Device.Faulted += (_, e) =>
        {
            fault = e;
            stop.Set();
        };
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Set(); });
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Set(); });
        Console.WriteLine($"{name} is up (port {device.Device.ListenPort}); Ctrl+C stops it");
        while (!stop.Wait(showEvery))
        {
            Console.WriteLine(ShowFormatter.Format(device.Device, DateTimeOffset.UtcNow));
        }

        Console.WriteLine(ShowFormatter.Format(device.Device, DateTimeOffset.UtcNow));
        if (fault is not null)
        {
            Console.Error.WriteLine($"wireguard-sample: a worker died: {fault.Message}");
            return 3;
        }

        return 0;
    }
}
