using System.Runtime.InteropServices;

namespace LinuxNet;

// struct iovec, /usr/include/x86_64-linux-gnu/bits/types/struct_iovec.h
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct IoVec
{
    internal void* Base;
    internal nuint Length;
}
