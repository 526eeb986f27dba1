using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace LinuxNet.Netlink;

public sealed partial class NetlinkSocket
{
    private enum ReplyState
    {
        Continue,
        Done,
        Restart,
    }

    /// <summary>
    /// Sends one request and waits for the kernel's acknowledgement. The sequence number and port id in the header are
    /// overwritten, and <see cref="NetlinkMessageFlags.Ack"/> is added.
    /// </summary>
    /// <param name="request">One complete message (e.g. from <see cref="NetlinkMessageWriter"/>); its header is updated in place.</param>
    /// <exception cref="NetlinkException">The kernel refused the request; carries errno, extended-ack text and offending attribute.</exception>
    /// <exception cref="NetlinkProtocolException">The request or a reply is malformed.</exception>
    /// <exception cref="ObjectDisposedException">The socket is closed.</exception>
    public void Execute(Span<byte> request) => Query<object?>(request, null, null, null);

    /// <summary>Sends one request and waits for its acknowledgement, asynchronously.</summary>
    /// <param name="request">One complete message; its header is updated in place.</param>
    /// <param name="cancellationToken">Cancels the wait for the reply (the kernel may still have applied the request).</param>
    /// <returns>A task that completes when the kernel acknowledged the request.</returns>
    /// <exception cref="NetlinkException">The kernel refused the request.</exception>
    /// <exception cref="OperationCanceledException">The wait was cancelled.</exception>
    public async ValueTask ExecuteAsync(Memory<byte> request, CancellationToken cancellationToken = default)
        => await QueryAsync<object?>(request, null, null, null, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Sends a GET request — a dump (<see cref="NetlinkMessageFlags.Dump"/>) or a single get — and calls
    /// <paramref name="handler"/> for each data message of the reply, until <c>NLMSG_DONE</c> or the acknowledgement.
    /// </summary>
    /// <typeparam name="TState">The caller's state passed to <paramref name="handler"/>.</typeparam>
    /// <param name="request">One complete message; its header is updated in place.</param>
    /// <param name="state">Passed to <paramref name="handler"/> and <paramref name="restart"/>.</param>
    /// <param name="handler">Called for each data message; the message is valid only during the call.</param>
    /// <param name="restart">
    /// Called before a dump is restarted because the kernel flagged it inconsistent (<c>NLM_F_DUMP_INTR</c>), so the
    /// state can be cleared. When <see langword="null"/>, an interrupted dump throws.
    /// </param>
    /// <returns>The number of data messages passed to <paramref name="handler"/> in the final, consistent pass.</returns>
    /// <exception cref="NetlinkException">The kernel refused the request, or a dump stayed inconsistent after every retry (<c>EINTR</c>).</exception>
    /// <exception cref="NetlinkProtocolException">A reply is malformed.</exception>
    public int Query<TState>(Span<byte> request, TState state, NetlinkMessageHandler<TState>? handler, Action<TState>? restart = null)
    {
        NetlinkHeader header = PrepareRequest(request);
        bool isDump = (header.Flags & NetlinkMessageFlags.Dump) == NetlinkMessageFlags.Dump && IsGet(header.Type);
        _gate.Wait();
        try
        {
            for (int attempt = 0; ; attempt++)
            {
                DrainUnfinishedDump();
                uint sequence = Stamp(request, isDump);
                Send(request);
                MarkDumpOpen(isDump, sequence);
                int count = 0;
                bool interrupted = false;
                ReplyState replyState;
                do
                {
                    int length = ReceiveBlocking();
                    if (length < 0)
                    {
                        replyState = ReplyState.Restart;
                        break;
                    }

                    replyState = ProcessReply(_receiveBuffer.AsSpan(0, length), request, sequence, isDump, state, handler, ref count, ref interrupted);
                }
                while (replyState == ReplyState.Continue);

                if (replyState == ReplyState.Done)
                {
                    return count;
                }

                CheckRestart(header.Type, attempt, restart is not null || count == 0, interrupted);
                restart?.Invoke(state);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Asynchronous <see cref="Query{TState}(Span{byte}, TState, NetlinkMessageHandler{TState}?, Action{TState}?)"/>.</summary>
    /// <typeparam name="TState">The caller's state passed to <paramref name="handler"/>.</typeparam>
    /// <param name="request">One complete message; its header is updated in place.</param>
    /// <param name="state">Passed to <paramref name="handler"/> and <paramref name="restart"/>.</param>
    /// <param name="handler">Called for each data message; the message is valid only during the call.</param>
    /// <param name="restart">Called before an interrupted dump is restarted; when <see langword="null"/>, an interrupted dump throws.</param>
    /// <param name="cancellationToken">Cancels the wait for replies.</param>
    /// <returns>The number of data messages passed to <paramref name="handler"/> in the final pass.</returns>
    /// <exception cref="NetlinkException">The kernel refused the request.</exception>
    /// <exception cref="OperationCanceledException">The wait was cancelled.</exception>
    public async ValueTask<int> QueryAsync<TState>(Memory<byte> request, TState state, NetlinkMessageHandler<TState>? handler, Action<TState>? restart = null, CancellationToken cancellationToken = default)
    {
        NetlinkHeader header = PrepareRequest(request.Span);
        bool isDump = (header.Flags & NetlinkMessageFlags.Dump) == NetlinkMessageFlags.Dump && IsGet(header.Type);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (int attempt = 0; ; attempt++)
            {
                DrainUnfinishedDump();
                uint sequence = Stamp(request.Span, isDump);
                Send(request.Span);
                MarkDumpOpen(isDump, sequence);
                int count = 0;
                bool interrupted = false;
                ReplyState replyState;
                do
                {
                    int length = TryReceiveNow();
                    while (length == int.MinValue)
                    {
                        await WaitReadableAsync(cancellationToken).ConfigureAwait(false);
                        length = TryReceiveNow();
                    }

                    if (length < 0)
                    {
                        replyState = ReplyState.Restart;
                        break;
                    }

                    replyState = ProcessReply(_receiveBuffer.AsSpan(0, length), request.Span, sequence, isDump, state, handler, ref count, ref interrupted);
                }
                while (replyState == ReplyState.Continue);

                if (replyState == ReplyState.Done)
                {
                    return count;
                }

                CheckRestart(header.Type, attempt, restart is not null || count == 0, interrupted);
                restart?.Invoke(state);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Sends bytes holding one or more complete messages to the kernel, as they are.</summary>
    /// <param name="messages">The messages.</param>
    /// <exception cref="LinuxNetException">The kernel refused the send.</exception>
    public unsafe void Send(ReadOnlySpan<byte> messages)
    {
        bool added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            SockAddrNetlink kernel = new() { Family = LinuxSocket.AF_NETLINK };
            fixed (byte* p = messages)
            {
                nint sent;
                do
                {
                    sent = Interop.Libc.SendTo(_handle.DangerousGetFd(), p, (nuint)messages.Length, 0, &kernel, (uint)sizeof(SockAddrNetlink));
                }
                while (sent < 0 && Interop.GetLastErrno() == (int)Errno.EINTR);

                Interop.CheckIo(sent, "sendto(netlink)");
            }
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    private void MarkDumpOpen(bool isDump, uint sequence)
    {
        _dumpOpen = isDump;
        _dumpSequence = sequence;
    }

    /// <summary>Reads out the rest of a dump that was abandoned midway (its handler threw, its wait was cancelled, a part was truncated).</summary>
    /// <remarks>
    /// The kernel runs one dump per socket at a time and refuses a new one with <c>EBUSY</c> until the running one has
    /// been read to its <c>NLMSG_DONE</c>. This never blocks: the kernel queues each part of a dump during the
    /// <c>recvmsg</c> that takes the previous one, so an empty queue means the dump is over.
    /// </remarks>
    private void DrainUnfinishedDump()
    {
        while (_dumpOpen)
        {
            int length = TryReceiveNow();
            if (length == int.MinValue)
            {
                _dumpOpen = false;
                break;
            }

            if (length < 0)
            {
                continue;
            }

            try
            {
                foreach (NetlinkMessage message in new NetlinkMessageEnumerator(_receiveBuffer.AsSpan(0, length)))
                {
                    if (message.Header.Sequence == _dumpSequence && message.Type is LinuxNetlink.NLMSG_DONE or LinuxNetlink.NLMSG_ERROR)
                    {
                        _dumpOpen = false;
                        break;
                    }
                }
            }
            catch (NetlinkProtocolException)
            {
                // A malformed part of a dump nobody waits for any more: skip it.
            }
        }
    }

    private static bool IsGet(ushort type) => type >= LinuxNetlink.NLMSG_MIN_TYPE && (type & 3) == 2;

    private static NetlinkHeader PrepareRequest(Span<byte> request)
    {
        if (request.Length < NetlinkHeader.Size)
        {
            throw new ArgumentException($"A netlink request needs at least a {NetlinkHeader.Size}-byte header; got {request.Length} bytes.", nameof(request));
        }

        NetlinkHeader header = MemoryMarshal.Read<NetlinkHeader>(request);
        if (header.Length != (uint)request.Length)
        {
            throw new ArgumentException($"The request must be exactly one message: nlmsg_len is {header.Length} but {request.Length} bytes were given.", nameof(request));
        }

        return header;
    }

    private uint Stamp(Span<byte> request, bool isDump)
    {
        uint sequence = NextSequenceNumber();
        NetlinkHeader header = MemoryMarshal.Read<NetlinkHeader>(request);
        NetlinkMessageFlags flags = header.Flags | NetlinkMessageFlags.Request;
        if (!isDump)
        {
            flags |= NetlinkMessageFlags.Ack;
        }

        NetlinkHeader stamped = new(header.Length, header.Type, flags, sequence, PortId);
        Bytes.Write(request, stamped);
        return sequence;
    }

    private void CheckRestart(ushort type, int attempt, bool canRestart, bool interrupted)
    {
        if (!canRestart || attempt >= _maxDumpRetries)
        {
            string name = Schema?.GetMessageTypeName(type) ?? type.ToString(System.Globalization.CultureInfo.InvariantCulture);
            string why = interrupted ? "the table kept changing during the dump (NLM_F_DUMP_INTR)" : "the reply was truncated";
            throw new NetlinkException(Errno.EINTR, name, $"{name} failed: {why}; gave up after {attempt + 1} attempt(s). The result would be inconsistent.", null, null, type, 0);
        }

        if (interrupted)
        {
            NetlinkLog.DumpInterrupted(_logger, type, attempt + 1);
        }
    }

    private ReplyState ProcessReply<TState>(
        ReadOnlySpan<byte> datagram,
        ReadOnlySpan<byte> request,
        uint sequence,
        bool isDump,
        TState state,
        NetlinkMessageHandler<TState>? handler,
        ref int count,
        ref bool interrupted)
    {
        foreach (NetlinkMessage message in new NetlinkMessageEnumerator(datagram))
        {
            if (message.Header.Sequence != sequence)
            {
                NetlinkLog.StaleMessage(_logger, message.Header.Sequence, sequence);
                continue;
            }

            if (message.Type is LinuxNetlink.NLMSG_DONE or LinuxNetlink.NLMSG_ERROR)
            {
                _dumpOpen = false;
            }

            switch (message.Type)
            {
                case LinuxNetlink.NLMSG_NOOP:
                    continue;
                case LinuxNetlink.NLMSG_ERROR:
                    NetlinkErrorMessage error = NetlinkErrorMessage.Parse(message);
                    if (error.Error != 0)
                    {
                        throw CreateException(error, request);
                    }

                    if (error.ExtendedAckMessage is { } warning)
                    {
                        NetlinkLog.KernelWarning(_logger, TypeName(error.Request.Type), warning);
                    }

                    if (!isDump)
                    {
                        return ReplyState.Done;
                    }

                    continue;
                case LinuxNetlink.NLMSG_DONE:
                    if (message.Payload.Length >= 4)
                    {
                        int status = MemoryMarshal.Read<int>(message.Payload);
                        if (status < 0)
                        {
                            throw CreateDoneException(-status, message, request);
                        }
                    }

                    interrupted |= (message.Flags & NetlinkMessageFlags.DumpInterrupted) != 0;
                    return interrupted ? ReplyState.Restart : ReplyState.Done;
                case LinuxNetlink.NLMSG_OVERRUN:
                    throw new NetlinkProtocolException("The kernel reported NLMSG_OVERRUN: data was lost.");
                default:
                    interrupted |= (message.Flags & NetlinkMessageFlags.DumpInterrupted) != 0;
                    count++;
                    handler?.Invoke(message, state);
                    continue;
            }
        }

        return ReplyState.Continue;
    }

    private string TypeName(ushort type) => Schema?.GetMessageTypeName(type) ?? $"netlink message type {type}";

    private NetlinkException CreateDoneException(int errno, in NetlinkMessage done, ReadOnlySpan<byte> request)
    {
        string? text = null;
        if ((done.Flags & NetlinkMessageFlags.AckTlvs) != 0 && done.Payload.Length > 4)
        {
            foreach (NetlinkAttribute attribute in new NetlinkAttributeEnumerator(done.Payload.Slice(4)))
            {
                if (attribute.Type == LinuxNetlink.NLMSGERR_ATTR_MSG)
                {
                    text = attribute.GetString().TrimEnd('\n', '.', ' ');
                }
            }
        }

        NetlinkHeader header = MemoryMarshal.Read<NetlinkHeader>(request);
        return Create(errno, header, text, null, request);
    }

    private NetlinkException CreateException(in NetlinkErrorMessage error, ReadOnlySpan<byte> request)
        => Create(-error.Error, error.Request, error.ExtendedAckMessage, error.Offset, request, error.MissingType);

    private NetlinkException Create(int errno, NetlinkHeader header, string? text, int? offset, ReadOnlySpan<byte> request, ushort? missingType = null)
    {
        string name = TypeName(header.Type);
        ushort[]? path = null;
        string? attributeName = null;
        if (offset is int o && Schema is { } schema)
        {
            Span<ushort> buffer = stackalloc ushort[NetlinkAttribute.MaxNestingDepth + 1];
            int depth = NetlinkAttributePath.Resolve(request, schema.GetFamilyHeaderSize(header.Type), o, buffer);
            if (depth > 0)
            {
                path = buffer.Slice(0, depth).ToArray();
                attributeName = schema.GetAttributeName(header.Type, buffer.Slice(0, depth));
            }
        }

        string message = LinuxNetException.FormatMessage(errno, name, errno is 1 or 13 ? "CAP_NET_ADMIN" : null);
        if (text is not null)
        {
            message += $" Error: {text}.";
        }

        if (attributeName is not null)
        {
            message += $" (offending attribute: {attributeName})";
        }
        else if (path is not null)
        {
            message += $" (offending attribute type {string.Join("/", path)})";
        }

        if (missingType is ushort missing)
        {
            message += $" (missing attribute type {missing})";
        }

        return new NetlinkException((Errno)errno, name, message, text, offset, header.Type, header.Sequence, path, attributeName);
    }

    /// <summary>Receives one datagram from the kernel into the receive buffer, blocking.</summary>
    /// <returns>Its length, or -1 when it was truncated (the buffer was grown and the request must be restarted).</returns>
    private int ReceiveBlocking()
    {
        while (true)
        {
            int length = ReceiveCore(0);
            if (length != int.MinValue)
            {
                return length;
            }
        }
    }

    /// <summary>Receives one datagram without blocking.</summary>
    /// <returns>Its length; -1 when truncated; <see cref="int.MinValue"/> when nothing is queued.</returns>
    private int TryReceiveNow() => ReceiveCore(LinuxSocket.MSG_DONTWAIT);

    /// <summary>One <c>recvmsg</c> with <c>MSG_TRUNC</c>: the datagram's real length (or -1, errno pending) and its sender.</summary>
    private static unsafe nint ReceiveFrom(int fd, byte[] buffer, int flags, out SockAddrNetlink sender)
    {
        SockAddrNetlink address = default;
        nint received;
        fixed (byte* p = buffer)
        {
            IoVec vector = new() { Base = p, Length = (nuint)buffer.Length };
            MsgHdr header = new() { Name = &address, NameLength = (uint)sizeof(SockAddrNetlink), Iov = &vector, IovLength = 1 };
            received = Interop.Libc.RecvMsg(fd, &header, flags | LinuxSocket.MSG_TRUNC);
        }

        sender = address;
        return received;
    }

    private int ReceiveCore(int flags)
    {
        bool added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            int fd = _handle.DangerousGetFd();
            while (true)
            {
                nint received = ReceiveFrom(fd, _receiveBuffer, flags, out SockAddrNetlink sender);

                if (received < 0)
                {
                    int errno = Interop.GetLastErrno();
                    if (errno == (int)Errno.EINTR)
                    {
                        continue;
                    }

                    if (errno == (int)Errno.EAGAIN && (flags & LinuxSocket.MSG_DONTWAIT) != 0)
                    {
                        return int.MinValue;
                    }

                    Interop.ThrowForErrno(errno, "recvmsg(netlink)");
                }

                if (sender.PortId != 0)
                {
                    NetlinkLog.ForeignSenderDropped(_logger, sender.PortId);
                    continue;
                }

                if (received > _receiveBuffer.Length)
                {
                    NetlinkLog.ReplyTruncated(_logger, (int)received, _receiveBuffer.Length);
                    _receiveBuffer = new byte[NetlinkMessageWriter.Align((int)received) + 4096];
                    return -1;
                }

                return (int)received;
            }
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    internal static IReadOnlyList<ushort> EmptyPath => Array.Empty<ushort>();
}
