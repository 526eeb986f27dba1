using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LinuxNet;

// struct epoll_event, /usr/include/x86_64-linux-gnu/sys/epoll.h: { uint32_t events; epoll_data_t data; }.
// glibc declares it __EPOLL_PACKED on x86-64 (and i386), so there it is 12 bytes with data at offset 4; on arm64
// and every other 64-bit target it has natural alignment: 16 bytes, data at offset 8. The layout is chosen at run
// time and the events are read and written through these accessors over a raw byte buffer.
internal static unsafe class EpollEvent
{
    internal static readonly bool IsPacked =
        RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.X86;

    internal static readonly int Size = IsPacked ? 12 : 16;

    private static readonly int DataOffset = IsPacked ? 4 : 8;

    internal static void Write(byte* slot, uint events, ulong data)
    {
        Unsafe.WriteUnaligned(slot, events);
        Unsafe.WriteUnaligned(slot + DataOffset, data);
    }

    internal static uint ReadEvents(byte* slot) => Unsafe.ReadUnaligned<uint>(slot);

    internal static ulong ReadData(byte* slot) => Unsafe.ReadUnaligned<ulong>(slot + DataOffset);
}
