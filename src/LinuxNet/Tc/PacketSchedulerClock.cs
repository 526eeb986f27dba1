using System;
using System.Globalization;
using System.IO;

namespace LinuxNet.Tc;

/// <summary>
/// The kernel's packet scheduler clock as <c>/proc/net/psched</c> tells it, and the conversions iproute2's
/// <c>tc_core.c</c> makes with it: bytes at a rate to scheduler ticks (a tbf/htb burst becomes a "buffer" time), the
/// 256-slot rate tables (<c>TCA_TBF_RTAB</c>, <c>TCA_HTB_RTAB</c>/<c>CTAB</c>) and back. Every rounding is tc's, so the
/// requests are byte-identical to tc's.
/// </summary>
internal sealed class PacketSchedulerClock
{
    /// <summary>tc's <c>TIME_UNITS_PER_SEC</c>: times travel in microseconds.</summary>
    internal const double TimeUnitsPerSecond = 1_000_000;

    private static PacketSchedulerClock? s_current;

    private PacketSchedulerClock(double tickInMicroseconds, int hz)
    {
        TickInMicroseconds = tickInMicroseconds;
        Hz = hz;
    }

    /// <summary>The clock of the running kernel (read once from <c>/proc/net/psched</c>; tc's defaults if it cannot be read).</summary>
    internal static PacketSchedulerClock Current => s_current ??= Read();

    /// <summary>Scheduler ticks per microsecond (<c>tick_in_usec</c>).</summary>
    internal double TickInMicroseconds { get; }

    /// <summary>The timer frequency <c>get_hz()</c> returns; htb adds <c>rate / hz + mtu</c> as its default burst.</summary>
    internal int Hz { get; }

    /// <summary>Parses the text of <c>/proc/net/psched</c> (four hexadecimal words) as <c>tc_core_init</c> and <c>get_hz</c> do.</summary>
    internal static PacketSchedulerClock FromPsched(string text)
    {
        string[] words = text.Split(new[] { ' ', '\n', '\t' }, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 3)
        {
            return new PacketSchedulerClock(1, 1000);
        }

        uint t2us = uint.Parse(words[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        uint us2t = uint.Parse(words[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        uint clockRes = uint.Parse(words[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        uint denominator = words.Length > 3 ? uint.Parse(words[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture) : 0;

        // tc_core_init's compatibility hack: a nanosecond clock advertises a multiplier of 1000 that really is 1.
        if (clockRes == 1_000_000_000)
        {
            t2us = us2t;
        }

        double clockFactor = clockRes / TimeUnitsPerSecond;
        double tick = (double)t2us / us2t * clockFactor;
        int hz = clockRes == 1_000_000 && denominator != 0 ? (int)denominator : 100;
        return new PacketSchedulerClock(tick, hz);
    }

    /// <summary>Ticks to send <paramref name="size"/> bytes at <paramref name="rate"/> bytes/s (<c>tc_calc_xmittime</c>).</summary>
    internal uint TransmitTime(ulong rate, uint size) => TimeToTicks((uint)(TimeUnitsPerSecond * ((double)size / rate)));

    /// <summary>Bytes sent at <paramref name="rate"/> in <paramref name="ticks"/> (<c>tc_calc_xmitsize</c>).</summary>
    internal uint TransmitSize(ulong rate, uint ticks) => (uint)((double)rate * TicksToTime(ticks) / TimeUnitsPerSecond);

    /// <summary>Microseconds to ticks (<c>tc_core_time2tick</c>: the argument is an unsigned int, so callers truncate first).</summary>
    internal uint TimeToTicks(uint microseconds) => (uint)(microseconds * TickInMicroseconds);

    /// <summary>Ticks to microseconds (<c>tc_core_tick2time</c>).</summary>
    internal uint TicksToTime(uint ticks) => (uint)(ticks / TickInMicroseconds);

    /// <summary>
    /// Fills a 256-slot rate table and the rate spec's cell fields as <c>tc_calc_rtable</c> does (ethernet link
    /// layer, cell size from the MTU, 2047 when the MTU is 0).
    /// </summary>
    internal void FillRateTable(ref TcRateSpec spec, ulong rate, uint mtu, Span<uint> table)
    {
        if (mtu == 0)
        {
            mtu = 2047;
        }

        int cellLog = 0;
        while ((mtu >> cellLog) > 255)
        {
            cellLog++;
        }

        for (int i = 0; i < 256; i++)
        {
            uint size = (uint)((i + 1) << cellLog);
            if (size < spec.Mpu)
            {
                size = spec.Mpu;
            }

            table[i] = TransmitTime(rate, size);
        }

        spec.CellAlign = -1;
        spec.CellLog = (byte)cellLog;
        spec.LinkLayer = LinuxPktSched.TC_LINKLAYER_ETHERNET;
    }

    private static PacketSchedulerClock Read()
    {
        try
        {
            return FromPsched(File.ReadAllText("/proc/net/psched"));
        }
        catch (IOException)
        {
            return new PacketSchedulerClock(1, 100);
        }
        catch (UnauthorizedAccessException)
        {
            return new PacketSchedulerClock(1, 100);
        }
    }
}
