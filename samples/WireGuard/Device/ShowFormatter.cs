using LinuxNet.Route;
using System.Globalization;
using System.Text;
using LinuxNet.Samples.WireGuard.Config;

namespace LinuxNet.Samples.WireGuard.Device;

/// <summary>Prints a device the way <c>wg show</c> prints an interface.</summary>
public static class ShowFormatter
{
    /// <summary>The <c>wg show</c> text of <paramref name="device"/> at <paramref name="now"/>.</summary>
    public static string Format(WireGuardDevice device, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(device);
        var text = new StringBuilder();
        text.Append("interface: ").Append(device.InterfaceName).Append('\n');
        text.Append("  public key: ").Append(WireGuardKey.Format(device.Local.PublicKey)).Append('\n');
        text.Append("  private key: (hidden)\n");
        text.Append("  listening port: ").Append(device.ListenPort.ToString(CultureInfo.InvariantCulture)).Append('\n');
        var entries = device.Routes.Entries();
        foreach (Peer peer in device.Peers)
        {
            text.Append("\npeer: ").Append(WireGuardKey.Format(peer.Remote.PublicKey)).Append('\n');
            if (peer.PresharedKey.Length > 0)
            {
                text.Append("  preshared key: (hidden)\n");
            }

            if (peer.Endpoint is not null)
            {
                text.Append("  endpoint: ").Append(peer.Endpoint.ToString()).Append('\n');
            }

            var allowed = entries.Where(e => e.Value == peer).Select(e => e.Prefix.ToString()).ToList();
            text.Append("  allowed ips: ").Append(allowed.Count == 0 ? "(none)" : string.Join(", ", allowed)).Append('\n');
            if (peer.LatestHandshake is DateTimeOffset handshake)
            {
                text.Append("  latest handshake: ").Append(Ago(now - handshake)).Append('\n');
            }

            if (peer.ReceivedBytes > 0 || peer.SentBytes > 0)
            {
                text.Append("  transfer: ").Append(Bytes(peer.ReceivedBytes)).Append(" received, ").Append(Bytes(peer.SentBytes)).Append(" sent\n");
            }

            if (peer.PersistentKeepalive is TimeSpan keepalive)
            {
                text.Append("  persistent keepalive: every ").Append(Duration((long)keepalive.TotalSeconds)).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>"1 minute, 5 seconds ago", or "Now" (wg's wording).</summary>
    public static string Ago(TimeSpan elapsed)
    {
        long seconds = (long)Math.Max(0, elapsed.TotalSeconds);
        return seconds == 0 ? "Now" : Duration(seconds) + " ago";
    }

    /// <summary>wg's duration: years, days, hours, minutes, seconds, the zero ones left out.</summary>
    public static string Duration(long seconds)
    {
        var parts = new List<string>();
        Add(parts, seconds / (365 * 86400), "year");
        Add(parts, seconds / 86400 % 365, "day");
        Add(parts, seconds / 3600 % 24, "hour");
        Add(parts, seconds / 60 % 60, "minute");
        Add(parts, seconds % 60, "second");
        return string.Join(", ", parts);
    }

    /// <summary>wg's byte count: "123 B", "1.21 KiB", "3.50 MiB", "1.00 GiB", "2.00 TiB".</summary>
    public static string Bytes(long bytes)
    {
        string[] units = { "KiB", "MiB", "GiB", "TiB" };
        if (bytes < 1024)
        {
            return bytes.ToString(CultureInfo.InvariantCulture) + " B";
        }

        double value = bytes / 1024.0;
        int unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return value.ToString("0.00", CultureInfo.InvariantCulture) + " " + units[unit];
    }

    private static void Add(List<string> parts, long count, string unit)
    {
        if (count != 0)
        {
            parts.Add(count.ToString(CultureInfo.InvariantCulture) + " " + unit + (count == 1 ? string.Empty : "s"));
        }
    }
}
