using System;
using System.Buffers;
using System.IO.Pipelines;

namespace LinuxNet.Tun;

/// <summary>Memory, back-pressure and scheduling of a TUN pipe (<see cref="TunQueue.AsPipe"/>).</summary>
public sealed class TunPipeOptions
{
    /// <summary>The pool the pipes rent segments from; <see langword="null"/> means <see cref="MemoryPool{T}.Shared"/>.</summary>
    public MemoryPool<byte>? MemoryPool { get; set; }

    /// <summary>
    /// Unconsumed bytes (frames plus prefixes) at which a pipe's writer pauses: the device reader stops reading
    /// frames (the kernel then queues, and beyond its queue drops, frames), and application writes to the output
    /// wait. 1 MiB by default; 0 disables back-pressure.
    /// </summary>
    public long PauseThreshold { get; set; } = 1024 * 1024;

    /// <summary>Unconsumed bytes at which a paused writer resumes; half of <see cref="PauseThreshold"/> by default.</summary>
    public long? ResumeThreshold { get; set; }

    /// <summary>Where the application's continuations run (input reads, output flushes); the thread pool by default.</summary>
    /// <remarks>
    /// <see cref="PipeScheduler.Inline"/> runs the application's read continuations on the shared epoll loop's thread,
    /// inside the reader pump's flush, and saves a thread-pool hop per burst of frames: the fastest choice for a short
    /// forwarding loop that never blocks. Anything slow or blocking there delays every other device and socket that
    /// loop serves.
    /// </remarks>
    public PipeScheduler? ApplicationScheduler { get; set; }

    internal void Validate()
    {
        if (PauseThreshold < 0)
        {
            throw new ArgumentException("PauseThreshold cannot be negative.", nameof(PauseThreshold));
        }

        long resume = ResumeThreshold ?? PauseThreshold / 2;
        if (resume < 0 || (PauseThreshold > 0 && resume > PauseThreshold))
        {
            throw new ArgumentException($"ResumeThreshold must be between 0 and PauseThreshold ({PauseThreshold}); it is {resume}.", nameof(ResumeThreshold));
        }
    }
}
