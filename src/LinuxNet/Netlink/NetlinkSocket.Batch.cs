using System;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace LinuxNet.Netlink;

public sealed partial class NetlinkSocket
{
    /// <summary>Per-datagram ACK budget: an ACK skb costs up to ~1.3 KiB of receive-buffer truesize; error ACKs carry text.</summary>
    private const int BatchAckBudget = 2048;

    /// <summary>The receive buffer a batch asks for so that 1,024 ACKs fit (the kernel doubles the value set).</summary>
    private const int BatchReceiveBuffer = 1024 * 1024;

    /// <summary>ACK datagrams read per <c>recvmmsg</c>: slots of <see cref="BatchAckBudget"/> bytes filling the 64 KiB receive buffer.</summary>
    private const int AckSlots = MinimumReceiveBuffer / BatchAckBudget;

    private int _batchMessagesPerSend;

    /// <summary>The state of one request of a batch.</summary>
    internal enum BatchItemState : byte
    {
        /// <summary>Not sent (an earlier failure stopped the batch), or no answer yet.</summary>
        NotRun = 0,

        /// <summary>Acknowledged with errno 0.</summary>
        Succeeded = 1,

        /// <summary>Refused by the kernel, or its acknowledgement was lost.</summary>
        Failed = 2,
    }

    /// <summary>
    /// Sends back-to-back request messages packed into as few datagrams as the socket buffers allow, each message with
    /// its own sequence number and <c>NLM_F_ACK</c>, and records each one's answer.
    /// </summary>
    /// <param name="buffer">The messages, back to back (4-byte aligned); their headers are stamped in place.</param>
    /// <param name="count">How many messages <paramref name="buffer"/> holds.</param>
    /// <param name="states">Receives each message's outcome.</param>
    /// <param name="errors">Receives the exception describing each failed message.</param>
    /// <param name="maxPerSend">Most messages per datagram; 0 picks from the receive buffer (at most 1,024).</param>
    /// <param name="stopOnFirstError">Send no further datagram once a message failed.</param>
    internal void ExecuteBatch(Span<byte> buffer, int count, Span<BatchItemState> states, NetlinkBatchErrors errors, int maxPerSend, bool stopOnFirstError)
    {
        int perSend = maxPerSend > 0 ? maxPerSend : GetBatchMessagesPerSend();
        int sendLimit = GetOption(LinuxSocket.SOL_SOCKET, LinuxSocket.SO_SNDBUF) - 64;
        uint first = ReserveSequenceNumbers(count);
        Deadline deadline = default;
        ThrowIfDisposed();
        if (!_gate.TryEnter() && !_gate.Enter(Start(ref deadline)))
        {
            throw CreateTimeout(Bytes.Read<NetlinkHeader>(buffer).Type);
        }

        // One reference on the descriptor for the whole batch, not one per system call.
        bool added = false;
        try
        {
            _handle.AddRef(ref added);
            int fd = _handle.DangerousGetFd();
            int index = 0;
            int offset = 0;
            while (index < count)
            {
                int n = StampChunk(buffer.Slice(offset), index, count, first, perSend, sendLimit, out int chunkLength);
                Send(fd, buffer.Slice(offset, chunkLength));
                int pending = n;
                bool failed = false;
                while (pending > 0)
                {
                    int answered;
                    try
                    {
                        answered = ReceiveAcks(fd, buffer, first, index, n, states, errors, ref failed);
                    }
                    catch (LinuxNetException e) when (e.Errno == Errno.ENOBUFS)
                    {
                        // ACKs were dropped: everything the kernel did queue is there now (rtnetlink answers inside sendmsg).
                        int drained;
                        while ((drained = ReceiveCore(fd, LinuxSocket.MSG_DONTWAIT)) != int.MinValue)
                        {
                            if (drained > 0)
                            {
                                pending -= RecordAcks(_receiveBuffer.AsSpan(0, drained), buffer, first, index, n, states, errors, ref failed);
                            }
                        }

                        failed |= MarkUnanswered(index, n, states, errors, buffer.Slice(offset, chunkLength));
                        break;
                    }

                    if (answered == int.MinValue)
                    {
                        if (!_wait.WaitReadable(_handle, Start(ref deadline)))
                        {
                            throw CreateTimeout(Bytes.Read<NetlinkHeader>(buffer.Slice(offset)).Type);
                        }

                        continue;
                    }

                    pending -= answered;
                }

                index += n;
                offset += chunkLength;
                if (failed && stopOnFirstError)
                {
                    break;
                }
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

    /// <summary>Asynchronous <see cref="ExecuteBatch"/>.</summary>
    internal async ValueTask ExecuteBatchAsync(Memory<byte> buffer, int count, Memory<BatchItemState> states, NetlinkBatchErrors errors, int maxPerSend, bool stopOnFirstError, CancellationToken cancellationToken)
    {
        int perSend = maxPerSend > 0 ? maxPerSend : GetBatchMessagesPerSend();
        int sendLimit = GetOption(LinuxSocket.SOL_SOCKET, LinuxSocket.SO_SNDBUF) - 64;
        uint first = ReserveSequenceNumbers(count);
        await _gate.EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            int index = 0;
            int offset = 0;
            while (index < count)
            {
                int n = StampChunk(buffer.Span.Slice(offset), index, count, first, perSend, sendLimit, out int chunkLength);
                Send(buffer.Span.Slice(offset, chunkLength));
                int pending = n;
                bool failed = false;
                while (pending > 0)
                {
                    int answered;
                    try
                    {
                        answered = ReceiveAcks(buffer.Span, first, index, n, states.Span, errors, ref failed);
                    }
                    catch (LinuxNetException e) when (e.Errno == Errno.ENOBUFS)
                    {
                        int drained;
                        while ((drained = TryReceiveNow()) != int.MinValue)
                        {
                            if (drained > 0)
                            {
                                pending -= RecordAcks(_receiveBuffer.AsSpan(0, drained), buffer.Span, first, index, n, states.Span, errors, ref failed);
                            }
                        }

                        failed |= MarkUnanswered(index, n, states.Span, errors, buffer.Span.Slice(offset, chunkLength));
                        break;
                    }

                    if (answered == int.MinValue)
                    {
                        await WaitReadableAsync(cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    pending -= answered;
                }

                index += n;
                offset += chunkLength;
                if (failed && stopOnFirstError)
                {
                    break;
                }
            }
        }
        finally
        {
            _gate.Exit();
        }
    }

    /// <summary>Reserves <paramref name="count"/> consecutive sequence numbers and returns the first.</summary>
    internal uint ReserveSequenceNumbers(int count) => unchecked((uint)(Interlocked.Add(ref _sequence, count) - count + 1));

    private int GetBatchMessagesPerSend()
    {
        int perSend = Volatile.Read(ref _batchMessagesPerSend);
        if (perSend > 0)
        {
            return perSend;
        }

        int receive = ReceiveBufferSize;
        if (receive < 2 * BatchReceiveBuffer)
        {
            try
            {
                ReceiveBufferSize = BatchReceiveBuffer;
                receive = ReceiveBufferSize;
            }
            catch (LinuxNetException)
            {
                // Keep the smaller buffer; the batch just sends smaller datagrams.
            }
        }

        perSend = Math.Max(1, Math.Min(1024, receive / BatchAckBudget));
        Volatile.Write(ref _batchMessagesPerSend, perSend);
        return perSend;
    }

    /// <summary>Stamps sequence, port id and <c>NLM_F_REQUEST | NLM_F_ACK</c> on the messages of the next datagram.</summary>
    /// <returns>How many messages go into it.</returns>
    private int StampChunk(Span<byte> messages, int index, int count, uint first, int perSend, int sendLimit, out int chunkLength)
    {
        int n = 0;
        int position = 0;
        while (index + n < count && n < perSend)
        {
            if (messages.Length - position < NetlinkHeader.Size)
            {
                throw new NetlinkProtocolException("A batch holds fewer complete messages than it counts.");
            }

            NetlinkHeader header = Bytes.Read<NetlinkHeader>(messages.Slice(position));
            int length = NetlinkMessageWriter.Align((int)header.Length);
            if (header.Length < NetlinkHeader.Size || position + length > messages.Length)
            {
                throw new NetlinkProtocolException($"Batch message {index + n} has an invalid length ({header.Length}).");
            }

            if (n > 0 && position + length > sendLimit)
            {
                break;
            }

            var stamped = new NetlinkHeader(header.Length, header.Type, header.Flags | NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack, unchecked(first + (uint)(index + n)), PortId);
            Bytes.Write(messages.Slice(position), stamped);
            position += length;
            n++;
        }

        chunkLength = position;
        return n;
    }

    /// <summary><see cref="ReceiveAcks(int, ReadOnlySpan{byte}, uint, int, int, Span{BatchItemState}, NetlinkBatchErrors, ref bool)"/> with its own reference on the descriptor.</summary>
    private int ReceiveAcks(ReadOnlySpan<byte> batch, uint first, int index, int n, Span<BatchItemState> states, NetlinkBatchErrors errors, ref bool failed)
    {
        bool added = false;
        try
        {
            _handle.AddRef(ref added);
            return ReceiveAcks(_handle.DangerousGetFd(), batch, first, index, n, states, errors, ref failed);
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// Reads every queued datagram, up to <see cref="AckSlots"/>, with one <c>recvmmsg</c> into slots of the receive
    /// buffer, and records the ACKs among them (the kernel queues one datagram per ACK: one system call per ACK is what
    /// this saves). Never blocks.
    /// </summary>
    /// <returns>How many messages got their answer; <see cref="int.MinValue"/> when nothing was queued.</returns>
    private unsafe int ReceiveAcks(int fd, ReadOnlySpan<byte> batch, uint first, int index, int n, Span<BatchItemState> states, NetlinkBatchErrors errors, ref bool failed)
    {
        byte[] slots = _receiveBuffer;
        MMsgHdr* headers = stackalloc MMsgHdr[AckSlots];
        IoVec* vectors = stackalloc IoVec[AckSlots];
        SockAddrNetlink* senders = stackalloc SockAddrNetlink[AckSlots];
        int received;
        fixed (byte* p = slots)
        {
            for (int i = 0; i < AckSlots; i++)
            {
                vectors[i] = new IoVec { Base = p + (i * BatchAckBudget), Length = BatchAckBudget };
                headers[i] = new MMsgHdr { Header = new MsgHdr { Name = &senders[i], NameLength = (uint)sizeof(SockAddrNetlink), Iov = &vectors[i], IovLength = 1 } };
            }

            do
            {
                received = Interop.Libc.RecvMMsg(fd, headers, AckSlots, LinuxSocket.MSG_DONTWAIT | LinuxSocket.MSG_TRUNC, null);
            }
            while (received < 0 && Interop.GetLastErrno() == (int)Errno.EINTR);
        }

        if (received < 0)
        {
            int errno = Interop.GetLastErrno();
            if (errno == (int)Errno.EAGAIN)
            {
                return int.MinValue;
            }

            Interop.ThrowForErrno(errno, "recvmmsg(netlink)");
        }

        int answered = 0;
        for (int i = 0; i < received; i++)
        {
            int length = (int)headers[i].Length;
            if (senders[i].PortId != 0)
            {
                NetlinkLog.ForeignSenderDropped(_logger, senders[i].PortId);
                continue;
            }

            ReadOnlySpan<byte> datagram = slots.AsSpan(i * BatchAckBudget, Math.Min(length, BatchAckBudget));
            answered += length <= BatchAckBudget
                ? RecordAcks(datagram, batch, first, index, n, states, errors, ref failed)
                : RecordCutAck(datagram, length, batch, first, index, n, states, errors, ref failed);
        }

        return answered;
    }

    /// <summary>
    /// Records an ACK longer than its slot (an error ACK whose extended-ack attributes run past <see cref="BatchAckBudget"/>
    /// bytes; with <c>NETLINK_CAP_ACK</c> the kernel's are far shorter): its sequence and errno are in the part read.
    /// </summary>
    private int RecordCutAck(ReadOnlySpan<byte> datagram, int length, ReadOnlySpan<byte> batch, uint first, int index, int n, Span<BatchItemState> states, NetlinkBatchErrors errors, ref bool failed)
    {
        NetlinkLog.ReplyTruncated(_logger, length, BatchAckBudget);
        NetlinkHeader header = Bytes.Read<NetlinkHeader>(datagram);
        int item = unchecked((int)(header.Sequence - first));
        if (header.Type != LinuxNetlink.NLMSG_ERROR || item < index || item >= index + n || states[item] != BatchItemState.NotRun)
        {
            return 0;
        }

        int error = -Bytes.Read<int>(datagram.Slice(NetlinkHeader.Size));
        if (error == 0)
        {
            states[item] = BatchItemState.Succeeded;
            return 1;
        }

        ReadOnlySpan<byte> request = FindMessage(batch, item);
        ushort type = request.Length >= NetlinkHeader.Size ? Bytes.Read<NetlinkHeader>(request).Type : (ushort)0;
        string name = TypeName(type);
        states[item] = BatchItemState.Failed;
        errors[item] = new NetlinkException((Errno)error, name, $"{name}: {(Errno)error} (the kernel's acknowledgement, {length} bytes, was longer than the {BatchAckBudget} read, so its message is lost)", null, null, type, header.Sequence);
        failed = true;
        return 1;
    }

    /// <summary>Records the ACKs in one datagram that answer messages [index, index + n).</summary>
    /// <returns>How many messages got their answer.</returns>
    private int RecordAcks(ReadOnlySpan<byte> datagram, ReadOnlySpan<byte> batch, uint first, int index, int n, Span<BatchItemState> states, NetlinkBatchErrors errors, ref bool failed)
    {
        int answered = 0;
        foreach (NetlinkMessage message in new NetlinkMessageEnumerator(datagram))
        {
            int item = unchecked((int)(message.Header.Sequence - first));
            if (message.Type != LinuxNetlink.NLMSG_ERROR || item < index || item >= index + n || states[item] != BatchItemState.NotRun)
            {
                NetlinkLog.StaleMessage(_logger, message.Header.Sequence, first + (uint)index);
                continue;
            }

            NetlinkErrorMessage error = NetlinkErrorMessage.Parse(message);
            answered++;
            if (error.Error == 0)
            {
                states[item] = BatchItemState.Succeeded;
                continue;
            }

            states[item] = BatchItemState.Failed;
            errors[item] = CreateException(error, FindMessage(batch, item));
            failed = true;
        }

        return answered;
    }

    private static ReadOnlySpan<byte> FindMessage(ReadOnlySpan<byte> batch, int item)
    {
        int position = 0;
        for (int i = 0; i < item && position + NetlinkHeader.Size <= batch.Length; i++)
        {
            position += NetlinkMessageWriter.Align((int)Bytes.Read<NetlinkHeader>(batch.Slice(position)).Length);
        }

        if (position + NetlinkHeader.Size > batch.Length)
        {
            return default;
        }

        int length = (int)Bytes.Read<NetlinkHeader>(batch.Slice(position)).Length;
        return batch.Slice(position, Math.Min(length, batch.Length - position));
    }

    private bool MarkUnanswered(int index, int n, Span<BatchItemState> states, NetlinkBatchErrors errors, ReadOnlySpan<byte> chunk)
    {
        bool any = false;
        for (int i = index; i < index + n; i++)
        {
            if (states[i] == BatchItemState.NotRun)
            {
                ReadOnlySpan<byte> request = FindMessage(chunk, i - index);
                NetlinkHeader header = request.Length >= NetlinkHeader.Size ? Bytes.Read<NetlinkHeader>(request) : default;
                string name = TypeName(header.Type);
                states[i] = BatchItemState.Failed;
                errors[i] = new NetlinkException(
                    Errno.ENOBUFS,
                    name,
                    $"{name}: the kernel's acknowledgement was lost (receive buffer overflow, ENOBUFS); the request may or may not have been applied. Use a larger receive buffer or fewer messages per send.",
                    null,
                    null,
                    header.Type,
                    header.Sequence);
                any = true;
            }
        }

        return any;
    }
}
