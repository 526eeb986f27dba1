using System;
using System.Net;
using System.Runtime.InteropServices;

namespace LinuxNet.Udp;

/// <summary>
/// A reusable set of datagram buffers for <see cref="UdpBatchSocket"/>: each entry holds one datagram (or, with
/// a segment size, a run of equal-size datagrams sent or received as one), its length and its remote address.
/// </summary>
/// <remarks>
/// <para>
/// All memory (the datagram buffers and the kernel's <c>mmsghdr</c>, <c>iovec</c>, address and control-message
/// arrays) is allocated once, outside the managed heap, by the constructor, and freed by <see cref="Dispose"/>; a
/// send or a receive with a batch allocates nothing. <see cref="GetBuffer"/> spans point into that memory and are
/// valid until the batch is disposed.
/// </para>
/// <para>
/// To send: fill entries with <see cref="Add(ReadOnlySpan{byte}, IPEndPoint?, int)"/> (or write into
/// <see cref="GetBuffer"/> and call <see cref="SetLength"/>, <see cref="SetSegmentSize"/> and
/// <see cref="SetRemoteEndPoint"/>, then set <see cref="Count"/>). After a receive, <see cref="Count"/> entries
/// hold what arrived: <see cref="GetDatagram"/>, <see cref="GetSegmentSize"/> (with <c>UDP_GRO</c>),
/// <see cref="GetRemoteEndPoint"/>.
/// </para>
/// <para>Not thread-safe: one batch belongs to one send or receive at a time.</para>
/// </remarks>
public sealed unsafe class UdpBatch : IDisposable
{
    /// <summary>The largest segment size: the largest UDP payload over IPv4 (65,535 − 20 − 8 = 65,507 bytes).</summary>
    public const int MaxSegmentSize = LinuxUdp.MaxPayloadIPv4;

    private const int NameSlot = 32;
    private const int ControlSlot = 32;
    private const int ScratchCount = 64;

    private readonly int[] _lengths;
    private readonly int[] _segmentSizes;
    private readonly bool[] _hasAddress;
    private readonly bool[] _truncated;
    private byte* _memory;
    private readonly MMsgHdr* _headers;
    private readonly IoVec* _iov;
    private readonly byte* _names;
    private readonly byte* _control;
    private readonly byte* _data;
    private MMsgHdr* _scratchHeaders; // for datagrams split after the kernel refused GSO; allocated then
    private IoVec* _scratchIov;
    private int _count;

    /// <summary>Creates a batch of <paramref name="capacity"/> entries of <paramref name="bufferSize"/> bytes each.</summary>
    /// <param name="capacity">Entries per send or receive: 1 to 1,024 (the kernel's <c>UIO_MAXIOV</c>).</param>
    /// <param name="bufferSize">
    /// Bytes per entry, 1 to 65,535. To receive coalesced datagrams (<see cref="UdpBatchSocketOptions.ReceiveOffload"/>)
    /// use 65,535: a shorter buffer truncates a coalesced run (<see cref="IsTruncated"/>).
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range.</exception>
    public UdpBatch(int capacity, int bufferSize = 65535)
    {
        if (capacity < 1 || capacity > 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "A batch holds 1 to 1,024 datagrams (UIO_MAXIOV).");
        }

        if (bufferSize < 1 || bufferSize > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(bufferSize), bufferSize, "A datagram buffer holds 1 to 65,535 bytes.");
        }

        Capacity = capacity;
        BufferSize = bufferSize;
        _lengths = new int[capacity];
        _segmentSizes = new int[capacity];
        _hasAddress = new bool[capacity];
        _truncated = new bool[capacity];
        long headerBytes = (long)capacity * (sizeof(MMsgHdr) + sizeof(IoVec) + NameSlot + ControlSlot);
        long total = headerBytes + ((long)capacity * bufferSize);
        _memory = (byte*)Marshal.AllocHGlobal((nint)total);
        new Span<byte>(_memory, (int)headerBytes).Clear();
        _headers = (MMsgHdr*)_memory;
        _iov = (IoVec*)(_headers + capacity);
        _names = (byte*)(_iov + capacity);
        _control = _names + (capacity * NameSlot);
        _data = _control + (capacity * ControlSlot);
        GC.AddMemoryPressure(total);
    }

    /// <summary>Releases the memory. Do not dispose a batch while a send or receive uses it.</summary>
    ~UdpBatch() => Free();

    /// <summary>The number of entries.</summary>
    public int Capacity { get; }

    /// <summary>The size of each entry's buffer.</summary>
    public int BufferSize { get; }

    /// <summary>The entries in use: what a send sends, or what a receive filled in.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or larger than <see cref="Capacity"/>.</exception>
    public int Count
    {
        get => _count;
        set
        {
            if ((uint)value > (uint)Capacity)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, $"The batch has {Capacity} entries; it cannot hold {value}.");
            }

            _count = value;
        }
    }

    internal MMsgHdr* Headers => _headers;

    /// <summary>Empties the batch (<see cref="Count"/> = 0); the buffers keep their bytes.</summary>
    public void Clear() => _count = 0;

    /// <summary>Copies <paramref name="datagram"/> into the next entry and makes it part of the batch.</summary>
    /// <param name="datagram">The payload. With a <paramref name="segmentSize"/>, a run of datagrams of that size (the last may be shorter).</param>
    /// <param name="remoteEndPoint">Where to send it; <see langword="null"/> on a connected socket for its peer.</param>
    /// <param name="segmentSize">0 for one datagram; otherwise the size of each datagram the payload is cut into (<c>UDP_SEGMENT</c>).</param>
    /// <returns>The entry's index.</returns>
    /// <exception cref="InvalidOperationException">The batch is full.</exception>
    /// <exception cref="ArgumentException"><paramref name="datagram"/> is longer than <see cref="BufferSize"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="segmentSize"/> is negative or above <see cref="MaxSegmentSize"/>.</exception>
    public int Add(ReadOnlySpan<byte> datagram, IPEndPoint? remoteEndPoint = null, int segmentSize = 0)
    {
        if (_count == Capacity)
        {
            throw new InvalidOperationException($"The batch is full ({Capacity} entries).");
        }

        if (datagram.Length > BufferSize)
        {
            throw new ArgumentException($"The datagram has {datagram.Length} bytes; the batch's buffers hold {BufferSize}.", nameof(datagram));
        }

        int index = _count;
        SetSegmentSize(index, segmentSize);
        datagram.CopyTo(GetBuffer(index));
        _lengths[index] = datagram.Length;
        SetRemoteEndPoint(index, remoteEndPoint);
        _count = index + 1;
        return index;
    }

    /// <summary>The whole buffer of entry <paramref name="index"/> (<see cref="BufferSize"/> bytes), to write a datagram into.</summary>
    /// <param name="index">From 0 to <see cref="Capacity"/> − 1.</param>
    /// <returns>The buffer.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public Span<byte> GetBuffer(int index)
    {
        CheckIndex(index);
        return new Span<byte>(_data + ((long)index * BufferSize), BufferSize);
    }

    /// <summary>The datagram (or coalesced run) in entry <paramref name="index"/>: its first <see cref="GetLength"/> bytes.</summary>
    /// <param name="index">From 0 to <see cref="Capacity"/> − 1.</param>
    /// <returns>The datagram.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public Span<byte> GetDatagram(int index) => GetBuffer(index).Slice(0, _lengths[index]);

    /// <summary>The length of entry <paramref name="index"/>.</summary>
    /// <param name="index">From 0 to <see cref="Capacity"/> − 1.</param>
    /// <returns>The length in bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public int GetLength(int index)
    {
        CheckIndex(index);
        return _lengths[index];
    }

    /// <summary>Sets the length of entry <paramref name="index"/>, after writing into <see cref="GetBuffer"/>.</summary>
    /// <param name="index">From 0 to <see cref="Capacity"/> − 1.</param>
    /// <param name="length">0 to <see cref="BufferSize"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public void SetLength(int index, int length)
    {
        CheckIndex(index);
        if ((uint)length > (uint)BufferSize)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"A datagram in this batch is 0 to {BufferSize} bytes.");
        }

        _lengths[index] = length;
    }

    /// <summary>
    /// The segment size of entry <paramref name="index"/>: after a receive with <c>UDP_GRO</c>, the size of the
    /// datagrams the kernel coalesced into it (every one but the last has exactly this size), or 0 for a single
    /// datagram; for a send, what <see cref="SetSegmentSize"/> set.
    /// </summary>
    /// <param name="index">From 0 to <see cref="Capacity"/> − 1.</param>
    /// <returns>The segment size, or 0.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public int GetSegmentSize(int index)
    {
        CheckIndex(index);
        return _segmentSizes[index];
    }

    /// <summary>The number of datagrams entry <paramref name="index"/> stands for: its length divided by the segment size, rounded up (1 without one).</summary>
    /// <param name="index">From 0 to <see cref="Capacity"/> − 1.</param>
    /// <returns>The number of datagrams.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public int GetSegmentCount(int index)
    {
        int segment = GetSegmentSize(index);
        int length = _lengths[index];
        return segment == 0 || length <= segment ? 1 : (length + segment - 1) / segment;
    }

    /// <summary>
    /// Makes entry <paramref name="index"/> a run of datagrams of <paramref name="segmentSize"/> bytes, sent with one
    /// <c>UDP_SEGMENT</c> (GSO) control message; 0 sends it as one datagram.
    /// </summary>
    /// <param name="index">From 0 to <see cref="Capacity"/> − 1.</param>
    /// <param name="segmentSize">0, or 1 to <see cref="MaxSegmentSize"/>.</param>
    /// <remarks>The kernel also requires each segment to fit the path MTU and at most 64 segments (128 on newer kernels); a run it refuses for that is sent as separate datagrams.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public void SetSegmentSize(int index, int segmentSize)
    {
        CheckIndex(index);
        if (segmentSize < 0 || segmentSize > MaxSegmentSize)
        {
            throw new ArgumentOutOfRangeException(nameof(segmentSize), segmentSize, $"A segment size is 1 to {MaxSegmentSize} bytes, or 0 for no segmentation.");
        }

        _segmentSizes[index] = segmentSize;
    }

    /// <summary>Whether the datagram received into entry <paramref name="index"/> was longer than <see cref="BufferSize"/> (<c>MSG_TRUNC</c>); the rest is lost.</summary>
    /// <param name="index">From 0 to <see cref="Capacity"/> − 1.</param>
    /// <returns><see langword="true"/> when truncated.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public bool IsTruncated(int index)
    {
        CheckIndex(index);
        return _truncated[index];
    }

    /// <summary>Sets where entry <paramref name="index"/> goes; <see langword="null"/> for a connected socket's peer.</summary>
    /// <param name="index">From 0 to <see cref="Capacity"/> − 1.</param>
    /// <param name="remoteEndPoint">The destination. Its bytes are copied: the instance can be reused at once.</param>
    /// <remarks>On netstandard2.0 this allocates the 4 or 16 address bytes (no span API there); on .NET it allocates nothing.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public void SetRemoteEndPoint(int index, IPEndPoint? remoteEndPoint)
    {
        CheckIndex(index);
        if (remoteEndPoint is null)
        {
            _hasAddress[index] = false;
            return;
        }

        // Stored as sockaddr_in6 (an IPv4 address as v4-mapped): the socket converts when it is IPv4.
        _ = UdpSocketAddress.Write(remoteEndPoint, System.Net.Sockets.AddressFamily.InterNetworkV6, NameSpan(index));
        _hasAddress[index] = true;
    }

    /// <summary>The remote end point of entry <paramref name="index"/>: the sender after a receive. Allocates; see <see cref="GetRemotePort"/> and <see cref="TryGetRemoteAddress"/> for a loop.</summary>
    /// <param name="index">From 0 to <see cref="Capacity"/> − 1.</param>
    /// <returns>The end point, or <see langword="null"/> when the entry has none.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public IPEndPoint? GetRemoteEndPoint(int index)
    {
        CheckIndex(index);
        return _hasAddress[index] ? UdpSocketAddress.Read(NameSpan(index)) : null;
    }

    /// <summary>The remote port of entry <paramref name="index"/>, without allocating; 0 when it has no address.</summary>
    /// <param name="index">From 0 to <see cref="Capacity"/> − 1.</param>
    /// <returns>The port.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public int GetRemotePort(int index)
    {
        CheckIndex(index);
        return _hasAddress[index] ? UdpSocketAddress.ReadPort(NameSpan(index)) : 0;
    }

    /// <summary>Copies the remote address bytes (4 for IPv4, 16 for IPv6) of entry <paramref name="index"/>, without allocating.</summary>
    /// <param name="index">From 0 to <see cref="Capacity"/> − 1.</param>
    /// <param name="destination">At least 16 bytes.</param>
    /// <param name="bytesWritten">4 or 16, or 0.</param>
    /// <returns><see langword="false"/> when the entry has no address or <paramref name="destination"/> is too small.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public bool TryGetRemoteAddress(int index, Span<byte> destination, out int bytesWritten)
    {
        CheckIndex(index);
        bytesWritten = _hasAddress[index] ? UdpSocketAddress.ReadAddressBytes(NameSpan(index), destination) : -1;
        if (bytesWritten < 0)
        {
            bytesWritten = 0;
            return false;
        }

        return true;
    }

    /// <summary>Frees the memory.</summary>
    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    internal bool HasAddress(int index) => _hasAddress[index];

    /// <summary>Whether entry <paramref name="index"/>'s address can go to an IPv4 socket (IPv4, stored v4-mapped or already unmapped).</summary>
    internal bool HasIPv4Address(int index)
    {
        ReadOnlySpan<byte> name = NameSpan(index);
        ushort family = System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(name);
        return family == LinuxSocket.AF_INET
            || (family == LinuxSocket.AF_INET6 && name.Slice(8, 10).SequenceEqual(stackalloc byte[10]) && name[18] == 0xFF && name[19] == 0xFF);
    }

    internal Span<byte> NameSpan(int index) => new(_names + (index * NameSlot), NameSlot);

    /// <summary>Whether entry <paramref name="index"/> is sent with a <c>UDP_SEGMENT</c> control message.</summary>
    internal bool UsesSegmentation(int index) => _segmentSizes[index] > 0 && _lengths[index] > _segmentSizes[index];

    /// <summary>Fills in the kernel's header of entry <paramref name="index"/> for <c>sendmmsg</c>.</summary>
    internal void PrepareSend(int index, System.Net.Sockets.AddressFamily family)
    {
        ThrowIfDisposed();
        MsgHdr* header = &_headers[index].Header;
        _iov[index].Base = _data + ((long)index * BufferSize);
        _iov[index].Length = (nuint)_lengths[index];
        header->Iov = &_iov[index];
        header->IovLength = 1;
        header->Flags = 0;
        header->Name = _hasAddress[index] ? _names + (index * NameSlot) : null;
        header->NameLength = _hasAddress[index] ? (uint)PrepareName(index, family) : 0;
        if (UsesSegmentation(index))
        {
            byte* control = _control + (index * ControlSlot);
            var cmsg = (CMsgHdr*)control;
            cmsg->Length = (nuint)(CMsgHdr.HeaderSize + sizeof(ushort));
            cmsg->Level = LinuxUdp.SOL_UDP;
            cmsg->Type = LinuxUdp.UDP_SEGMENT;
            *(ushort*)(control + CMsgHdr.HeaderSize) = (ushort)_segmentSizes[index];
            header->Control = control;
            header->ControlLength = (nuint)CMsgHdr.Space(sizeof(ushort));
        }
        else
        {
            header->Control = null;
            header->ControlLength = 0;
        }
    }

    /// <summary>Fills in every header for <c>recvmmsg</c>.</summary>
    internal void PrepareReceive()
    {
        ThrowIfDisposed();
        for (int i = 0; i < Capacity; i++)
        {
            MsgHdr* header = &_headers[i].Header;
            _iov[i].Base = _data + ((long)i * BufferSize);
            _iov[i].Length = (nuint)BufferSize;
            header->Iov = &_iov[i];
            header->IovLength = 1;
            header->Flags = 0;
            header->Name = _names + (i * NameSlot);
            header->NameLength = NameSlot;
            header->Control = _control + (i * ControlSlot);
            header->ControlLength = ControlSlot;
            _headers[i].Length = 0;
        }
    }

    /// <summary>Reads back what <c>recvmmsg</c> put into the first <paramref name="received"/> headers.</summary>
    internal void CompleteReceive(int received)
    {
        for (int i = 0; i < received; i++)
        {
            MsgHdr* header = &_headers[i].Header;
            _lengths[i] = (int)Math.Min(_headers[i].Length, (uint)BufferSize);
            _truncated[i] = (header->Flags & LinuxSocket.MSG_TRUNC) != 0;
            _hasAddress[i] = header->NameLength > 0;
            _segmentSizes[i] = ReadSegmentSize(header);
        }

        _count = received;
    }

    /// <summary>
    /// Prepares up to <see cref="ScratchCount"/> plain datagrams cut from entry <paramref name="index"/>, starting
    /// at byte <paramref name="offset"/>, for the GSO fallback; returns their headers and count.
    /// </summary>
    internal MMsgHdr* PrepareSplit(int index, int offset, out int count)
    {
        if (_scratchHeaders is null)
        {
            int bytes = ScratchCount * (sizeof(MMsgHdr) + sizeof(IoVec));
            _scratchHeaders = (MMsgHdr*)Marshal.AllocHGlobal(bytes);
            new Span<byte>(_scratchHeaders, bytes).Clear();
            _scratchIov = (IoVec*)(_scratchHeaders + ScratchCount);
        }

        MsgHdr template = _headers[index].Header;
        int segment = _segmentSizes[index];
        int length = _lengths[index];
        byte* data = _data + ((long)index * BufferSize);
        count = 0;
        while (count < ScratchCount && offset < length)
        {
            _scratchIov[count].Base = data + offset;
            _scratchIov[count].Length = (nuint)Math.Min(segment, length - offset);
            MsgHdr* header = &_scratchHeaders[count].Header;
            header->Name = template.Name;
            header->NameLength = template.NameLength;
            header->Iov = &_scratchIov[count];
            header->IovLength = 1;
            header->Control = null;
            header->ControlLength = 0;
            header->Flags = 0;
            offset += segment;
            count++;
        }

        return _scratchHeaders;
    }

    internal void ThrowIfDisposed()
    {
        if (_memory is null)
        {
            throw new ObjectDisposedException(nameof(UdpBatch));
        }
    }

    private int PrepareName(int index, System.Net.Sockets.AddressFamily family)
    {
        if (family == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return LinuxUdp.SockAddrIn6Size;
        }

        // An IPv4 socket takes sockaddr_in: unmap the stored v4-mapped address in place.
        Span<byte> name = NameSpan(index);
        if (System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(name) == LinuxSocket.AF_INET6)
        {
            name.Slice(20, 4).CopyTo(name.Slice(4, 4));
            name.Slice(8, 8).Clear();
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(name, LinuxSocket.AF_INET);
        }

        return LinuxUdp.SockAddrInSize;
    }

    private static int ReadSegmentSize(MsgHdr* header)
    {
        byte* control = (byte*)header->Control;
        long length = (long)header->ControlLength;
        long offset = 0;
        while (offset + CMsgHdr.HeaderSize <= length)
        {
            var cmsg = (CMsgHdr*)(control + offset);
            if (cmsg->Length < (nuint)CMsgHdr.HeaderSize)
            {
                break;
            }

            if (cmsg->Level == LinuxUdp.SOL_UDP && cmsg->Type == LinuxUdp.UDP_GRO && cmsg->Length >= (nuint)(CMsgHdr.HeaderSize + sizeof(int)))
            {
                return *(int*)(control + offset + CMsgHdr.HeaderSize);
            }

            offset += CMsgHdr.Space((int)cmsg->Length - CMsgHdr.HeaderSize);
        }

        return 0;
    }

    private void CheckIndex(int index)
    {
        ThrowIfDisposed();
        if ((uint)index >= (uint)Capacity)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The batch has entries 0 to {Capacity - 1}.");
        }
    }

    private void Free()
    {
        byte* memory = _memory;
        if (memory is null)
        {
            return;
        }

        _memory = null;
        Marshal.FreeHGlobal((nint)memory);
        if (_scratchHeaders is not null)
        {
            Marshal.FreeHGlobal((nint)_scratchHeaders);
            _scratchHeaders = null;
        }

        GC.RemoveMemoryPressure(((long)Capacity * (sizeof(MMsgHdr) + sizeof(IoVec) + NameSlot + ControlSlot)) + ((long)Capacity * BufferSize));
    }
}
