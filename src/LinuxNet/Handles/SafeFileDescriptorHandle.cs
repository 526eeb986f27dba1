using System;
using System.Runtime.InteropServices;

namespace LinuxNet;

/// <summary>Owns one Linux file descriptor and closes it exactly once.</summary>
/// <remarks>
/// Every descriptor LinuxNet opens lives in one of these, and is opened close-on-exec. Code that needs the raw
/// number brackets the use with <see cref="AddRef"/>/<see cref="SafeHandle.DangerousRelease"/>
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

    /// <summary>
    /// The public type the user holds that owns this descriptor (e.g. <c>NetlinkSocket</c>, <c>TunDevice</c>): the
    /// name an <see cref="ObjectDisposedException"/> about a closed descriptor gives, instead of this internal type's.
    /// </summary>
    internal string? OwnerName { get; set; }

    /// <summary>The descriptor number. Only valid while a reference is held.</summary>
    internal int DangerousGetFd() => (int)handle.ToInt64();

    /// <summary><see cref="SafeHandle.DangerousAddRef"/>, naming <see cref="OwnerName"/> when the handle is closed.</summary>
    /// <exception cref="ObjectDisposedException">The descriptor was closed: the owner was disposed.</exception>
    internal void AddRef(ref bool success)
    {
        try
        {
            DangerousAddRef(ref success);
        }
        catch (ObjectDisposedException) when (OwnerName is not null)
        {
            throw CreateDisposedException();
        }
    }

    /// <summary>The exception for a use after the owner was disposed.</summary>
    internal ObjectDisposedException CreateDisposedException() => new(OwnerName ?? nameof(SafeFileDescriptorHandle));

    protected override bool ReleaseHandle() => Interop.Libc.Close((int)handle.ToInt64()) == 0;
}
