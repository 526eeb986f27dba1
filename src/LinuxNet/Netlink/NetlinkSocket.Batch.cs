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
    internal void ExecuteBatch(Span<byte> buffer, int count, Span<BatchItemState> states, NetlinkException?[] errors, int maxPerSend, bool stopOnFirstError)
    {
        int perSend = maxPerSend > 0 ? maxPerSend : GetBatchMessagesPerSend();
        int sendLimit = GetOption(LinuxSocket.SOL_SOCKET, LinuxSocket.SO_SNDBUF) - 64;
        uint first = ReserveSequenceNumbers(count);
        Deadline deadline = Deadline.After(_requestTimeout);
        ThrowIfDisposed();
        if (!_gate.Wait(deadline.RemainingMilliseconds))
        {
            throw CreateTimeout(MemoryMarshal.Read<NetlinkHeader>(buffer).Type);
        }

        try
        {
            int index = 0;
            int offset = 0;
            while (index < count)
            {
                int n = StampChunk(buffer.Slice(offset), index, count, first, perSend, sendLimit, out int chunkLength);
                Send(buffer.Slice(offset, chunkLength));
                int pending = n;
                bool failed = false;
                while (pending > 0)
                {
                    int length;
                    try
                    {
                        length = ReceiveBlocking(deadline, MemoryMarshal.Read<NetlinkHeader>(buffer.Slice(offset)).Type);
                    }
                    catch (LinuxNetException e) when (e.Errno == Errno.ENOBUFS)
                    {
                        // ACKs were dropped: everything the kernel did queue is there now (rtnetlink answers inside sendmsg).
                        int drained;
                        while ((drained = TryReceiveNow()) != int.MinValue)
                        {
                            if (drained > 0)
                            {
                                pending -= RecordAcks(_receiveBuffer.AsSpan(0, drained), buffer, first, index, n, states, errors, ref failed);
                            }
                        }

                        failed |= MarkUnanswered(index, n, states, errors, buffer.Slice(offset, chunkLength));
                        break;
                    }

                    if (length > 0)
                    {
                        pending -= RecordAcks(_receiveBuffer.AsSpan(0, length), buffer, first, index, n, states, errors, ref failed);
                    }
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
            _gate.Release();
        }
    }

    /// <summary>Asynchronous <see cref="ExecuteBatch"/>.</summary>
    internal async ValueTask ExecuteBatchAsync(Memory<byte> buffer, int count, Memory<BatchItemState> states, NetlinkException?[] errors, int maxPerSend, bool stopOnFirstError, CancellationToken cancellationToken)
    {
        int perSend = maxPerSend > 0 ? maxPerSend : GetBatchMessagesPerSend();
        int sendLimit = GetOption(LinuxSocket.SOL_SOCKET, LinuxSocket.SO_SNDBUF) - 64;
        uint first = ReserveSequenceNumbers(count);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
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
                    int length;
                    try
                    {
                        length = TryReceiveNow();
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

                    if (length == int.MinValue)
                    {
                        await WaitReadableAsync(cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    if (length > 0)
                    {
                        pending -= RecordAcks(_receiveBuffer.AsSpan(0, length), buffer.Span, first, index, n, states.Span, errors, ref failed);
                    }
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
            _gate.Release();
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

            NetlinkHeader header = MemoryMarshal.Read<NetlinkHeader>(messages.Slice(position));
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

    /// <summary>Records the ACKs in one datagram that answer messages [index, index + n).</summary>
    /// <returns>How many messages got their answer.</returns>
    private int RecordAcks(ReadOnlySpan<byte> datagram, ReadOnlySpan<byte> batch, uint first, int index, int n, Span<BatchItemState> states, NetlinkException?[] errors, ref bool failed)
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
            position += NetlinkMessageWriter.Align((int)MemoryMarshal.Read<NetlinkHeader>(batch.Slice(position)).Length);
        }

        if (position + NetlinkHeader.Size > batch.Length)
        {
            return default;
        }

        int length = (int)MemoryMarshal.Read<NetlinkHeader>(batch.Slice(position)).Length;
        return batch.Slice(position, Math.Min(length, batch.Length - position));
    }

    private bool MarkUnanswered(int index, int n, Span<BatchItemState> states, NetlinkException?[] errors, ReadOnlySpan<byte> chunk)
    {
        bool any = false;
        for (int i = index; i < index + n; i++)
        {
            if (states[i] == BatchItemState.NotRun)
            {
                ReadOnlySpan<byte> request = FindMessage(chunk, i - index);
                NetlinkHeader header = request.Length >= NetlinkHeader.Size ? MemoryMarshal.Read<NetlinkHeader>(request) : default;
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
