using System;
using System.Diagnostics;
using System.Threading;

namespace LinuxNet;

/// <summary>A point in time a blocking wait must not pass, on the monotonic clock; <see cref="Infinite"/> never passes.</summary>
internal readonly struct Deadline
{
    private readonly long _timestamp;

    private Deadline(long timestamp) => _timestamp = timestamp;

    internal static Deadline Infinite => new(long.MaxValue);

    internal bool IsInfinite => _timestamp == long.MaxValue;

    /// <summary>
    /// Whether this deadline was set: <see langword="default"/> is a deadline not started yet, which a request keeps
    /// until it first has to wait, so an answer that is already queued costs no clock read.
    /// </summary>
    internal bool IsStarted => _timestamp != 0;

    /// <summary>The deadline <paramref name="timeout"/> from now; <see cref="Timeout.InfiniteTimeSpan"/> gives <see cref="Infinite"/>.</summary>
    internal static Deadline After(TimeSpan timeout)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return Infinite;
        }

        return new Deadline(Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency));
    }

    /// <summary>Milliseconds left, rounded up, for <c>poll()</c>: -1 when infinite, 0 once passed.</summary>
    internal int RemainingMilliseconds
    {
        get
        {
            if (IsInfinite)
            {
                return -1;
            }

            long left = _timestamp - Stopwatch.GetTimestamp();
            if (left <= 0)
            {
                return 0;
            }

            double milliseconds = Math.Ceiling(left * 1000.0 / Stopwatch.Frequency);
            return milliseconds >= int.MaxValue ? int.MaxValue : (int)milliseconds;
        }
    }

    internal bool HasPassed => !IsInfinite && Stopwatch.GetTimestamp() >= _timestamp;
}
