using System;
using System.Runtime.InteropServices;

namespace LinuxNet;

/// <summary>Owns one Linux file descriptor and closes it exactly once.</summary>
/// <remarks>
/// Every descriptor LinuxNet opens lives in one of these, and is opened close-on-exec. Code that needs the raw
/// number brackets the use with <see cref="SafeHandle.DangerousAddRef"/>/<see cref="SafeHandle.DangerousRelease"/>
/// so that a concurrent <see cref="IDisposable.Dispose"/> cannot close (and the kernel reuse) the number mid-call.
/// </remarks>
internal sealed class SafeFileDescriptorHandle : SafeHandle
{
    internal SafeFileDescriptorHandle()
        : base(new IntPtr(-1), ownsHandle: true)
    {
    }

    internal SafeFileDescriptorHandle(int fd, bool ownsHandle = true)
        : base(new IntPtr(-1), ownsHandle)
    {
        SetHandle(new IntPtr(fd));
    }

    public override bool IsInvalid => handle.ToInt64() < 0;

    /// <summary>The descriptor number. Only valid while a reference is held.</summary>
    internal int DangerousGetFd() => (int)handle.ToInt64();

    protected override bool ReleaseHandle() => Interop.Libc.Close((int)handle.ToInt64()) == 0;
}
