using System.Runtime.InteropServices;

namespace LinuxNet;

/// <summary><c>struct statx</c> from <c>/usr/include/linux/stat.h</c>: 256 bytes, the same on every architecture.</summary>
[StructLayout(LayoutKind.Explicit, Size = 256)]
internal struct StatxBuffer
{
    [FieldOffset(0)] public uint Mask;
    [FieldOffset(8)] public ulong Attributes;
    [FieldOffset(28)] public ushort Mode;
    [FieldOffset(32)] public ulong Ino;
    [FieldOffset(56)] public ulong AttributesMask;
    [FieldOffset(136)] public uint DevMajor;
    [FieldOffset(140)] public uint DevMinor;

    /// <summary><c>stx_mnt_id</c>: with <c>STATX_MNT_ID_UNIQUE</c> in <see cref="Mask"/>, a 64-bit id never reused (Linux 6.8).</summary>
    [FieldOffset(144)] public ulong MntId;

    /// <summary>The device number as glibc's <c>makedev</c> encodes it, so it equals <c>stat -c %d</c>.</summary>
    public readonly ulong Dev =>
        ((ulong)(DevMajor & 0x00000fffu) << 8) | ((ulong)(DevMajor & 0xfffff000u) << 32)
        | (DevMinor & 0x000000ffu) | ((ulong)(DevMinor & 0xffffff00u) << 12);
}
