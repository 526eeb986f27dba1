using System.Runtime.InteropServices;

namespace LinuxNet;

/// <summary><c>struct statx</c> from <c>/usr/include/linux/stat.h</c>: 256 bytes, the same on every architecture.</summary>
[StructLayout(LayoutKind.Explicit, Size = 256)]
internal struct StatxBuffer
{
    [FieldOffset(0)] public uint Mask;
    [FieldOffset(28)] public ushort Mode;
    [FieldOffset(32)] public ulong Ino;
    [FieldOffset(136)] public uint DevMajor;
    [FieldOffset(140)] public uint DevMinor;

    /// <summary>The device number as glibc's <c>makedev</c> encodes it, so it equals <c>stat -c %d</c>.</summary>
    public readonly ulong Dev =>
        ((ulong)(DevMajor & 0x00000fffu) << 8) | ((ulong)(DevMajor & 0xfffff000u) << 32)
        | (DevMinor & 0x000000ffu) | ((ulong)(DevMinor & 0xffffff00u) << 12);
}
