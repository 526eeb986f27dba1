using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace LinuxNet.Netlink;

public sealed partial class NetlinkSocket
{
    /// <summary>What <c>ReceiveCore</c> reports when the kernel dropped messages for this socket (<c>ENOBUFS</c>).</summary>
    private const int Overflowed = -2;

    /// <summary>How many datagrams a request reads, after an overflow, before it concludes its reply was lost.</summary>
    private const int MaxReadsAfterOverflow = 65536;

    private enum ReplyState
    {
        Continue,
        Done,
        Restart,
        Lost,
    }

    /// <summary>
    /// Sends one request and waits for the kernel's acknowledgement. The sequence number and port id in the header are
    /// overwritten, and <see cref="NetlinkMessageFlags.Ack"/> is added.
    /// </summary>
    /// <param name="request">One complete message (e.g. from <see cref="NetlinkMessageWriter"/>); its header is updated in place.</param>
    /// <exception cref="NetlinkException">
    /// The kernel refused the request; carries errno, extended-ack text and offending attribute. <c>ENOBUFS</c>: the
    /// answer was lost to a receive-queue overflow (the queue was drained; the request may or may not have been applied).
    /// </exception>
    /// <exception cref="NetlinkProtocolException">The request or a reply is malformed.</exception>
    /// <exception cref="TimeoutException">No answer within <see cref="NetlinkSocketOptions.RequestTimeout"/>.</exception>
    /// <exception cref="ObjectDisposedException">The socket is closed, also while the request waits.</exception>
    public void Execute(Span<byte> request) => Run<object?>(request, null, null, null);

    /// <summary>Sends one request and waits for its acknowledgement, asynchronously.</summary>
    /// <param name="request">One complete message; its header is updated in place.</param>
    /// <param name="cancellationToken">Cancels the wait for the reply (the kernel may still have applied the request).</param>
    /// <returns>A task that completes when the kernel acknowledged the request.</returns>
    /// <exception cref="NetlinkException">The kernel refused the request, or its answer was lost (<c>ENOBUFS</c>).</exception>
    /// <exception cref="OperationCanceledException">The wait was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The socket is closed, also while the request waits.</exception>
    public async ValueTask ExecuteAsync(Memory<byte> request, CancellationToken cancellationToken = default)
        => await RunAsync<object?>(request, null, null, null, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Sends a request — a dump (its flags carry <see cref="NetlinkMessageFlags.Dump"/>) or a single request — and
    /// calls <paramref name="handler"/> for each data message of the reply, until <c>NLMSG_DONE</c> or the acknowledgement.
    /// </summary>
    /// <typeparam name="TState">The caller's state passed to <paramref name="handler"/>.</typeparam>
    /// <param name="request">One complete message; its header is updated in place.</param>
    /// <param name="state">Passed to <paramref name="handler"/> and <paramref name="restart"/>.</param>
    /// <param name="handler">Called for each data message; the message is valid only during the call.</param>
    /// <param name="restart">
    /// Called before a dump is restarted because the kernel flagged it inconsistent (<c>NLM_F_DUMP_INTR</c>) or part of
    /// it was lost, so the state can be cleared. When <see langword="null"/>, such a dump throws.
    /// </param>
    /// <returns>The number of data messages passed to <paramref name="handler"/> in the final pass.</returns>
    /// <remarks>
    /// A request is a dump when its flags carry both bits of <see cref="NetlinkMessageFlags.Dump"/>, the rule the
    /// kernel itself applies (rtnetlink and generic netlink alike); a dump's answer ends with <c>NLMSG_DONE</c>, any
    /// other request gets <see cref="NetlinkMessageFlags.Ack"/> added and ends with its acknowledgement.
    /// <see cref="Dump{TState}(Span{byte}, TState, NetlinkMessageHandler{TState}?, Action{TState}?)"/> also says
    /// whether the result is consistent.
    /// </remarks>
    /// <exception cref="NetlinkException">The kernel refused the request, or a dump stayed inconsistent after every retry (<c>EINTR</c>), or replies were lost (<c>ENOBUFS</c>).</exception>
    /// <exception cref="NetlinkProtocolException">A reply is malformed.</exception>
    /// <exception cref="TimeoutException">No complete answer within <see cref="NetlinkSocketOptions.RequestTimeout"/>.</exception>
    /// <exception cref="ObjectDisposedException">The socket is closed, also while the request waits.</exception>
    public int Query<TState>(Span<byte> request, TState state, NetlinkMessageHandler<TState>? handler, Action<TState>? restart = null)
        => Run(request, state, handler, restart).MessageCount;

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
    /// <exception cref="ObjectDisposedException">The socket is closed, also while the request waits.</exception>
    public async ValueTask<int> QueryAsync<TState>(Memory<byte> request, TState state, NetlinkMessageHandler<TState>? handler, Action<TState>? restart = null, CancellationToken cancellationToken = default)
        => (await RunAsync(request, state, handler, restart, cancellationToken).ConfigureAwait(false)).MessageCount;

    /// <summary>
    /// <see cref="Query{TState}(Span{byte}, TState, NetlinkMessageHandler{TState}?, Action{TState}?)"/>, returning how
    /// many attempts the dump took and whether its result is consistent — which it is not only when
    /// <see cref="NetlinkSocketOptions.AcceptInconsistentDumps"/> is on and every attempt was interrupted.
    /// </summary>
    /// <typeparam name="TState">The caller's state passed to <paramref name="handler"/>.</typeparam>
    /// <param name="request">One complete message; its header is updated in place.</param>
    /// <param name="state">Passed to <paramref name="handler"/> and <paramref name="restart"/>.</param>
    /// <param name="handler">Called for each data message; the message is valid only during the call.</param>
    /// <param name="restart">Called before a restart, so the state can be cleared; when <see langword="null"/>, a dump that needs a restart throws.</param>
    /// <returns>The message count of the final attempt, the number of attempts, and consistency.</returns>
    /// <exception cref="NetlinkException">The kernel refused the request, or the dump could not be completed (<c>EINTR</c>, <c>ENOBUFS</c>).</exception>
    /// <exception cref="NetlinkProtocolException">A reply is malformed.</exception>
    /// <exception cref="TimeoutException">No complete answer within <see cref="NetlinkSocketOptions.RequestTimeout"/>.</exception>
    /// <exception cref="ObjectDisposedException">The socket is closed, also while the request waits.</exception>
    public NetlinkDumpResult Dump<TState>(Span<byte> request, TState state, NetlinkMessageHandler<TState>? handler, Action<TState>? restart = null)
        => Run(request, state, handler, restart);

    /// <summary>Asynchronous <see cref="Dump{TState}(Span{byte}, TState, NetlinkMessageHandler{TState}?, Action{TState}?)"/>.</summary>
    /// <typeparam name="TState">The caller's state passed to <paramref name="handler"/>.</typeparam>
    /// <param name="request">One complete message; its header is updated in place.</param>
    /// <param name="state">Passed to <paramref name="handler"/> and <paramref name="restart"/>.</param>
    /// <param name="handler">Called for each data message; the message is valid only during the call.</param>
    /// <param name="restart">Called before a restart, so the state can be cleared.</param>
    /// <param name="cancellationToken">Cancels the wait for replies.</param>
    /// <returns>The message count of the final attempt, the number of attempts, and consistency.</returns>
    /// <exception cref="NetlinkException">The kernel refused the request, or the dump could not be completed.</exception>
    /// <exception cref="OperationCanceledException">The wait was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The socket is closed, also while the request waits.</exception>
    public ValueTask<NetlinkDumpResult> DumpAsync<TState>(Memory<byte> request, TState state, NetlinkMessageHandler<TState>? handler, Action<TState>? restart = null, CancellationToken cancellationToken = default)
        => RunAsync(request, state, handler, restart, cancellationToken);

    private NetlinkDumpResult Run<TState>(Span<byte> request, TState state, NetlinkMessageHandler<TState>? handler, Action<TState>? restart)
    {
        NetlinkHeader header = PrepareRequest(request);
        bool isDump = IsDumpRequest(header.Flags);

        // Started at the first wait: the kernel answers rtnetlink inside sendmsg, so most requests read no clock.
        Deadline deadline = default;
        ThrowIfDisposed();
        if (!_gate.TryEnter() && !_gate.Enter(Start(ref deadline)))
        {
            throw CreateTimeout(header.Type);
        }

        // One reference on the descriptor for the whole exchange, not one per system call.
        bool added = false;
        try
        {
            _handle.AddRef(ref added);
            int fd = _handle.DangerousGetFd();
            for (int attempt = 0; ; attempt++)
            {
                ThrowIfDisposed();
                DrainUnfinishedDump();
                var exchange = new Exchange(Stamp(request, isDump), isDump);
                Send(fd, request);
                MarkDumpOpen(isDump, exchange.Sequence);
                ReplyState replyState;
                do
                {
                    int length = ReceiveReply(fd, ref exchange, blocking: true, ref deadline, header.Type);
                    replyState = OnReceived(length, ref exchange, request, state, handler);
                }
                while (replyState == ReplyState.Continue);

                if (replyState == ReplyState.Done)
                {
                    return new NetlinkDumpResult(exchange.Count, attempt + 1, isConsistent: true);
                }

                if (EndAttempt(replyState, ref exchange, header.Type, attempt, restart is not null) is { } result)
                {
                    return result;
                }

                restart?.Invoke(state);
                PauseBeforeRestart(attempt, Start(ref deadline));
            }
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }

            _gate.Exit();
        }
    }

    private async ValueTask<NetlinkDumpResult> RunAsync<TState>(Memory<byte> request, TState state, NetlinkMessageHandler<TState>? handler, Action<TState>? restart, CancellationToken cancellationToken)
    {
        NetlinkHeader header = PrepareRequest(request.Span);
        bool isDump = IsDumpRequest(header.Flags);
        ThrowIfDisposed();
        await _gate.EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (int attempt = 0; ; attempt++)
            {
                ThrowIfDisposed();
                DrainUnfinishedDump();
                var exchange = new Exchange(Stamp(request.Span, isDump), isDump);
                Send(request.Span);
                MarkDumpOpen(isDump, exchange.Sequence);
                ReplyState replyState;
                Deadline never = Deadline.Infinite;
                do
                {
                    int length = ReceiveReply(-1, ref exchange, blocking: false, ref never, header.Type);
                    while (length == int.MinValue)
                    {
                        await WaitReadableAsync(cancellationToken).ConfigureAwait(false);
                        length = ReceiveReply(-1, ref exchange, blocking: false, ref never, header.Type);
                    }

                    replyState = OnReceived(length, ref exchange, request.Span, state, handler);
                }
                while (replyState == ReplyState.Continue);

                if (EndAttempt(replyState, ref exchange, header.Type, attempt, restart is not null) is { } result)
                {
                    return result;
                }

                restart?.Invoke(state);
                if (_dumpRetryDelay > TimeSpan.Zero)
                {
                    await Task.Delay(RestartPause(attempt), cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _gate.Exit();
        }
    }

    /// <summary>The state of one attempt of a request: its sequence number, what it has read, and whether data was lost.</summary>
    private struct Exchange
    {
        internal Exchange(uint sequence, bool isDump)
        {
            Sequence = sequence;
            IsDump = isDump;
        }

        internal uint Sequence { get; }

        internal bool IsDump { get; }

        internal int Count;
        internal bool Interrupted;

        /// <summary>The kernel reported <c>ENOBUFS</c> during this attempt: from then on the queue is drained, never waited on.</summary>
        internal bool Overflowed;
        internal int ReadsAfterOverflow;
    }

    /// <summary>
    /// Receives the next datagram of an exchange. Blocking waits in <c>poll()</c> until the deadline or the socket's
    /// disposal; non-blocking returns <see cref="int.MinValue"/> when nothing is queued. After an overflow it never
    /// waits: an empty queue then means the reply was lost, reported as <see cref="Overflowed"/>.
    /// </summary>
    private int ReceiveReply(int fd, ref Exchange exchange, bool blocking, ref Deadline deadline, ushort type)
    {
        while (true)
        {
            int length;
            try
            {
                // fd: a descriptor the caller holds a reference on, or -1 to take one for this read.
                length = fd >= 0 ? ReceiveCore(fd, LinuxSocket.MSG_DONTWAIT) : TryReceiveNow();
            }
            catch (LinuxNetException e) when (e.Errno == Errno.ENOBUFS)
            {
                // The kernel dropped something for this socket (a reply, an ack or a dump part that did not fit) and
                // stops reporting further drops until the queue has been emptied once: read everything queued now.
                exchange.Overflowed = true;
                Interlocked.Increment(ref _receiveOverflows);
                RecordOverrun("request");
                NetlinkLog.ReceiveOverflow(_logger, TypeName(type));
                continue;
            }

            if (exchange.Overflowed)
            {
                if (length == int.MinValue || ++exchange.ReadsAfterOverflow > MaxReadsAfterOverflow)
                {
                    return Overflowed;
                }

                if (Start(ref deadline).HasPassed)
                {
                    throw CreateTimeout(type);
                }

                return length;
            }

            if (length != int.MinValue || !blocking)
            {
                return length;
            }

            if (!_wait.WaitReadable(_handle, Start(ref deadline)))
            {
                throw CreateTimeout(type);
            }
        }
    }

    /// <summary>The request's deadline, started now (<see cref="NetlinkSocketOptions.RequestTimeout"/> from now) if it was not yet.</summary>
    private Deadline Start(ref Deadline deadline) => deadline.IsStarted ? deadline : deadline = Deadline.After(_requestTimeout);

    private ReplyState OnReceived<TState>(int length, ref Exchange exchange, ReadOnlySpan<byte> request, TState state, NetlinkMessageHandler<TState>? handler)
    {
        if (length == Overflowed)
        {
            return ReplyState.Lost;
        }

        if (length < 0)
        {
            return ReplyState.Restart;
        }

        return ProcessReply(_receiveBuffer.AsSpan(0, length), request, exchange.Sequence, exchange.IsDump, state, handler, ref exchange.Count, ref exchange.Interrupted);
    }

    /// <summary>Ends an attempt: the result to return, <see langword="null"/> to restart, or an exception.</summary>
    private NetlinkDumpResult? EndAttempt(ReplyState replyState, ref Exchange exchange, ushort type, int attempt, bool hasRestart)
    {
        if (replyState == ReplyState.Done)
        {
            return new NetlinkDumpResult(exchange.Count, attempt + 1, isConsistent: true);
        }

        string name = TypeName(type);
        bool canRestart = hasRestart || exchange.Count == 0;
        if (replyState == ReplyState.Lost)
        {
            // The queue is empty now, so the socket is in step with the kernel again; only this answer is gone.
            if (!exchange.IsDump)
            {
                throw new NetlinkException(Errno.ENOBUFS, name, $"{name} failed: its answer was lost because this socket's receive queue overflowed (ENOBUFS). The queue was drained and the socket works again, but the request may or may not have been applied: read the state back or retry. A larger NetlinkSocketOptions.ReceiveBufferSize makes this rarer.", null, null, type, exchange.Sequence);
            }

            // A dump the kernel could not continue may still be pending there: read it out before the next request.
            MarkDumpOpen(isDump: true, exchange.Sequence);
            if (!canRestart || attempt >= _maxDumpRetries)
            {
                throw new NetlinkException(Errno.ENOBUFS, name, $"{name} failed: dump replies were lost because this socket's receive queue overflowed (ENOBUFS); gave up after {attempt + 1} attempt(s). The socket works again.", null, null, type, exchange.Sequence);
            }

            Interlocked.Increment(ref _dumpRestarts);
            RecordDumpRestart(type, "overrun");
            return null;
        }

        if (!canRestart || attempt >= _maxDumpRetries)
        {
            if (exchange.Interrupted && _acceptInconsistentDumps)
            {
                Interlocked.Increment(ref _inconsistentDumps);
                NetlinkLog.DumpInconsistent(_logger, type, attempt + 1);
                return new NetlinkDumpResult(exchange.Count, attempt + 1, isConsistent: false);
            }

            string why = exchange.Interrupted ? "the table kept changing during the dump (NLM_F_DUMP_INTR)" : "the reply was truncated";
            throw new NetlinkException(Errno.EINTR, name, $"{name} failed: {why}; gave up after {attempt + 1} attempt(s). The result would be inconsistent. (NetlinkSocketOptions.MaxDumpRetries, DumpRetryDelay and AcceptInconsistentDumps set the policy.)", null, null, type, 0);
        }

        if (exchange.Interrupted)
        {
            NetlinkLog.DumpInterrupted(_logger, type, attempt + 1);
        }

        Interlocked.Increment(ref _dumpRestarts);
        RecordDumpRestart(type, exchange.Interrupted ? "interrupted" : "truncated");
        return null;
    }

    private TimeSpan RestartPause(int attempt) => TimeSpan.FromTicks(_dumpRetryDelay.Ticks * (attempt + 1));

    private void PauseBeforeRestart(int attempt, Deadline deadline)
    {
        if (_dumpRetryDelay <= TimeSpan.Zero)
        {
            return;
        }

        int pause = (int)Math.Ceiling(RestartPause(attempt).TotalMilliseconds);
        int left = deadline.RemainingMilliseconds;
        Thread.Sleep(left < 0 ? pause : Math.Min(pause, left));
    }

    private TimeoutException CreateTimeout(ushort type)
        => new($"{TypeName(type)}: no complete answer from the kernel within {_requestTimeout.TotalSeconds:0.###} s (NetlinkSocketOptions.RequestTimeout).");

    private void ThrowIfDisposed()
    {
        if (_wait.IsClosed)
        {
            throw new ObjectDisposedException(OwnerName);
        }
    }

    /// <summary>Sends bytes holding one or more complete messages to the kernel, as they are.</summary>
    /// <param name="messages">The messages.</param>
    /// <exception cref="LinuxNetException">The kernel refused the send.</exception>
    public void Send(ReadOnlySpan<byte> messages)
    {
        bool added = false;
        try
        {
            _handle.AddRef(ref added);
            Send(_handle.DangerousGetFd(), messages);
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    /// <summary><see cref="Send(ReadOnlySpan{byte})"/> on a descriptor the caller holds a reference on.</summary>
    private unsafe void Send(int fd, ReadOnlySpan<byte> messages)
    {
        if (LinuxNetMetrics.NetlinkRequests.Enabled)
        {
            RecordMessages(LinuxNetMetrics.NetlinkRequests, messages);
        }

        SockAddrNetlink kernel = new() { Family = LinuxSocket.AF_NETLINK };
        fixed (byte* p = messages)
        {
            nint sent;
            do
            {
                sent = Interop.Libc.SendTo(fd, p, (nuint)messages.Length, 0, &kernel, (uint)sizeof(SockAddrNetlink));
            }
            while (sent < 0 && Interop.GetLastErrno() == (int)Errno.EINTR);

            Interop.CheckIo(sent, "sendto(netlink)");
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

    /// <summary>A dump carries both bits of <c>NLM_F_DUMP</c> (<c>NLM_F_ROOT | NLM_F_MATCH</c>): the kernel's own test.</summary>
    private static bool IsDumpRequest(NetlinkMessageFlags flags) => (flags & NetlinkMessageFlags.Dump) == NetlinkMessageFlags.Dump;

    private static NetlinkHeader PrepareRequest(Span<byte> request)
    {
        if (request.Length < NetlinkHeader.Size)
        {
            ThrowBadRequest(request.Length, null);
        }

        NetlinkHeader header = Bytes.Read<NetlinkHeader>(request);
        if (header.Length != (uint)request.Length)
        {
            ThrowBadRequest(request.Length, header.Length);
        }

        return header;
    }

    // Out of line, so the request path's method stays small.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBadRequest(int length, uint? declared)
        => throw new ArgumentException(
            declared is { } value
                ? $"The request must be exactly one message: nlmsg_len is {value} but {length} bytes were given."
                : $"A netlink request needs at least a {NetlinkHeader.Size}-byte header; got {length} bytes.",
            "request");

    private uint Stamp(Span<byte> request, bool isDump)
    {
        uint sequence = NextSequenceNumber();
        NetlinkHeader header = Bytes.Read<NetlinkHeader>(request);
        NetlinkMessageFlags flags = header.Flags | NetlinkMessageFlags.Request;
        if (!isDump)
        {
            flags |= NetlinkMessageFlags.Ack;
        }

        NetlinkHeader stamped = new(header.Length, header.Type, flags, sequence, PortId);
        Bytes.Write(request, stamped);
        return sequence;
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
        if (!isDump && IsPlainAcknowledgement(datagram, sequence))
        {
            _dumpOpen = false;
            return ReplyState.Done;
        }

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
                    if (isDump && error.Error == -(int)Errno.ENOBUFS)
                    {
                        // The dump could not start because the queue was full; the kernel keeps it pending.
                        return ReplyState.Lost;
                    }

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
                        int status = Bytes.Read<int>(message.Payload);
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

    /// <summary>
    /// Whether <paramref name="datagram"/> is exactly one success acknowledgement of <paramref name="sequence"/> with no
    /// extended-ack attributes — the answer to almost every change request, so it is recognised without enumerating
    /// and parsing it as an error message (anything else takes the general path).
    /// </summary>
    private static bool IsPlainAcknowledgement(ReadOnlySpan<byte> datagram, uint sequence)
    {
        if (datagram.Length < NetlinkHeader.Size + 4)
        {
            return false;
        }

        NetlinkHeader header = Bytes.Read<NetlinkHeader>(datagram);
        return header.Length == (uint)datagram.Length
            && header.Type == LinuxNetlink.NLMSG_ERROR
            && header.Sequence == sequence
            && (header.Flags & NetlinkMessageFlags.AckTlvs) == 0
            && Bytes.Read<int>(datagram.Slice(NetlinkHeader.Size)) == 0;
    }

    private string TypeName(ushort type) => Schema?.GetMessageTypeName(type) ?? $"netlink message type {type}";

    /// <summary>A message type's name for a metric tag: the schema's constant, or a number string made once per type.</summary>
    private string MetricTypeName(ushort type) => Schema?.GetMessageTypeName(type) ?? LinuxNetMetrics.TypeNumber(type);

    /// <summary>Adds one to <paramref name="counter"/> per message in <paramref name="messages"/>, tagged with its type's name.</summary>
    private void RecordMessages(System.Diagnostics.Metrics.Counter<long> counter, ReadOnlySpan<byte> messages)
    {
        foreach (NetlinkMessage message in new NetlinkMessageEnumerator(messages))
        {
            counter.Add(1, _protocolTag, LinuxNetMetrics.Tag(LinuxNetMetrics.NetlinkOperationTag, MetricTypeName(message.Type)));
        }
    }

    private void RecordDumpRestart(ushort type, string reason)
    {
        if (LinuxNetMetrics.NetlinkDumpRestarts.Enabled)
        {
            LinuxNetMetrics.NetlinkDumpRestarts.Add(1, _protocolTag, LinuxNetMetrics.Tag(LinuxNetMetrics.NetlinkOperationTag, MetricTypeName(type)), LinuxNetMetrics.Tag(LinuxNetMetrics.ReasonTag, reason));
        }
    }

    private void RecordOverrun(string role)
    {
        if (LinuxNetMetrics.NetlinkOverruns.Enabled)
        {
            LinuxNetMetrics.NetlinkOverruns.Add(1, _protocolTag, LinuxNetMetrics.Tag(LinuxNetMetrics.RoleTag, role));
        }
    }

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

        NetlinkHeader header = Bytes.Read<NetlinkHeader>(request);
        return Create(errno, header, text, null, request);
    }

    private NetlinkException CreateException(in NetlinkErrorMessage error, ReadOnlySpan<byte> request)
        => Create(-error.Error, error.Request, error.ExtendedAckMessage, error.Offset, request, error.MissingType);

    private NetlinkException Create(int errno, NetlinkHeader header, string? text, int? offset, ReadOnlySpan<byte> request, ushort? missingType = null)
    {
        string name = TypeName(header.Type);
        if (LinuxNetMetrics.NetlinkFailures.Enabled)
        {
            LinuxNetMetrics.NetlinkFailures.Add(1, _protocolTag, LinuxNetMetrics.Tag(LinuxNetMetrics.NetlinkOperationTag, name), LinuxNetMetrics.Tag(LinuxNetMetrics.ErrorTypeTag, LinuxNetMetrics.ErrorName(errno)));
        }

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
            // "… No such device. Error: ipv4: …": the kernel's own words after ip's "Error:", set off from libc's text.
            message = $"{message.TrimEnd('.')}. Error: {text}.";
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
            _handle.AddRef(ref added);
            return ReceiveCore(_handle.DangerousGetFd(), flags);
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    /// <summary>One datagram from a descriptor the caller holds a reference on (see <see cref="ReceiveCore(int)"/>).</summary>
    private int ReceiveCore(int fd, int flags)
    {
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

    internal static IReadOnlyList<ushort> EmptyPath => Array.Empty<ushort>();
}
