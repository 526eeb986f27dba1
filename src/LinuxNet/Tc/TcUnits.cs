using System;
using System.Globalization;

namespace LinuxNet.Tc;

/// <summary>
/// Rates, sizes and times in <c>tc</c>'s words: parses <c>10mbit</c>, <c>32kb</c>, <c>50ms</c> as <c>tc</c>'s
/// <c>get_rate64</c>/<c>get_size</c>/<c>get_time</c> do and prints them as its <c>sprint_rate</c>/<c>sprint_size</c>/<c>sprint_time</c>.
/// </summary>
/// <remarks>
/// Rates are bytes per second, as the kernel keeps them (<c>rate 10mbit</c> is 1,250,000). Sizes are bytes
/// (<c>k</c>/<c>kb</c> is 1024, <c>kbit</c> 128). Times are microseconds.
/// </remarks>
public static class TcUnits
{
    private static readonly (string Suffix, double Scale)[] RateSuffixes =
    {
        ("bit", 1), ("kibit", 1024), ("kbit", 1000), ("mibit", 1024.0 * 1024), ("mbit", 1_000_000),
        ("gibit", 1024.0 * 1024 * 1024), ("gbit", 1_000_000_000), ("tibit", 1024.0 * 1024 * 1024 * 1024), ("tbit", 1_000_000_000_000),
        ("bps", 8), ("kibps", 8.0 * 1024), ("kbps", 8000), ("mibps", 8.0 * 1024 * 1024), ("mbps", 8_000_000),
        ("gibps", 8.0 * 1024 * 1024 * 1024), ("gbps", 8_000_000_000), ("tibps", 8.0 * 1024 * 1024 * 1024 * 1024), ("tbps", 8_000_000_000_000),
    };

    /// <summary>Parses a rate (<c>10mbit</c>, <c>1.5Gbit</c>, <c>100kbps</c>; a bare number is bits per second).</summary>
    /// <param name="text">The text.</param>
    /// <returns>Bytes per second.</returns>
    /// <exception cref="FormatException">Not a rate.</exception>
    public static ulong ParseRate(string text)
    {
        (double value, string suffix) = Split(text, "rate");
        double scale = 1;
        if (suffix.Length != 0)
        {
            int i = Array.FindIndex(RateSuffixes, s => string.Equals(s.Suffix, suffix, StringComparison.OrdinalIgnoreCase));
            scale = i >= 0 ? RateSuffixes[i].Scale : throw new FormatException($"'{text}' is not a rate (e.g. 10mbit, 1gbit, 500kbit).");
        }

        return (ulong)(value * scale / 8);
    }

    /// <summary>Parses a size (<c>32kb</c>, <c>1500</c>, <c>2mb</c>, <c>10kbit</c>).</summary>
    /// <param name="text">The text.</param>
    /// <returns>Bytes.</returns>
    /// <exception cref="FormatException">Not a size.</exception>
    public static uint ParseSize(string text)
    {
        (double value, string suffix) = Split(text, "size");
        double scale = suffix.ToLowerInvariant() switch
        {
            "" or "b" => 1,
            "k" or "kb" => 1024,
            "m" or "mb" => 1024 * 1024,
            "g" or "gb" => 1024.0 * 1024 * 1024,
            "kbit" => 1024 / 8,
            "mbit" => 1024 * 1024 / 8,
            "gbit" => 1024.0 * 1024 * 1024 / 8,
            _ => throw new FormatException($"'{text}' is not a size (e.g. 1500, 32kb, 2mb)."),
        };
        return (uint)(value * scale);
    }

    /// <summary>Parses a time (<c>50ms</c>, <c>1s</c>, <c>200us</c>; a bare number is microseconds).</summary>
    /// <param name="text">The text.</param>
    /// <returns>Microseconds.</returns>
    /// <exception cref="FormatException">Not a time.</exception>
    public static uint ParseTime(string text)
    {
        (double value, string suffix) = Split(text, "time");
        double scale = suffix.ToLowerInvariant() switch
        {
            "" or "us" or "usec" or "usecs" => 1,
            "ms" or "msec" or "msecs" => 1000,
            "s" or "sec" or "secs" => 1_000_000,
            _ => throw new FormatException($"'{text}' is not a time (e.g. 50ms, 1s, 200us)."),
        };
        return (uint)(value * scale);
    }

    /// <summary>Formats a rate as <c>tc</c> prints it (<c>10Mbit</c>, <c>1500Kbit</c>, <c>96bit</c>).</summary>
    /// <param name="bytesPerSecond">Bytes per second.</param>
    /// <returns>The text.</returns>
    public static string FormatRate(ulong bytesPerSecond)
    {
        string[] units = { string.Empty, "K", "M", "G", "T" };
        ulong rate = bytesPerSecond << 3;
        int i = 0;
        for (; i < units.Length - 1; i++)
        {
            if (rate < 1000 || (rate % 1000 != 0 && rate < 1000 * 1000))
            {
                break;
            }

            rate /= 1000;
        }

        return rate.ToString(CultureInfo.InvariantCulture) + units[i] + "bit";
    }

    /// <summary>Formats a size as <c>tc</c> prints it (<c>32Kb</c>, <c>2Mb</c>, <c>1500b</c>).</summary>
    /// <param name="bytes">Bytes.</param>
    /// <returns>The text.</returns>
    public static string FormatSize(uint bytes)
    {
        double size = bytes;
        if (bytes >= 1024 * 1024 && Math.Abs((1024 * 1024 * Math.Round(size / (1024 * 1024), MidpointRounding.ToEven)) - bytes) < 1024)
        {
            return G(Math.Round(size / (1024 * 1024), MidpointRounding.ToEven)) + "Mb";
        }

        if (bytes >= 1024 && Math.Abs((1024 * Math.Round(size / 1024, MidpointRounding.ToEven)) - bytes) < 16)
        {
            return G(Math.Round(size / 1024, MidpointRounding.ToEven)) + "Kb";
        }

        return bytes.ToString(CultureInfo.InvariantCulture) + "b";
    }

    /// <summary>Formats a time as <c>tc</c> prints it (<c>50ms</c>, <c>1.5s</c>, <c>200us</c>).</summary>
    /// <param name="microseconds">Microseconds.</param>
    /// <returns>The text.</returns>
    public static string FormatTime(uint microseconds)
    {
        double time = microseconds;
        if (time >= 1_000_000)
        {
            return G(time / 1_000_000) + "s";
        }

        return time >= 1000 ? G(time / 1000) + "ms" : microseconds.ToString(CultureInfo.InvariantCulture) + "us";
    }

    // printf's %g: six significant digits, trailing zeros dropped.
    internal static string G(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    // strtod: the longest leading number; the rest is the suffix.
    private static (double Value, string Suffix) Split(string text, string what)
    {
        if (text is null)
        {
            throw new ArgumentNullException(nameof(text));
        }

        int end = 0;
        while (end < text.Length && (char.IsDigit(text[end]) || text[end] == '.'))
        {
            end++;
        }

        if (end == 0 || !double.TryParse(text.Substring(0, end), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value))
        {
            throw new FormatException($"'{text}' is not a {what}.");
        }

        return (value, text.Substring(end));
    }
}
