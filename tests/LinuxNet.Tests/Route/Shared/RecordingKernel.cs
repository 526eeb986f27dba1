using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using LinuxNet.Netlink;
using LinuxNet.Route;

namespace LinuxNet.Tests.Route.Shared;

/// <summary>
/// A fake kernel at the other end of an AF_UNIX SOCK_SEQPACKET pair that records every request message exactly as a
/// <see cref="LinkManager"/> sent it and acknowledges each one (NLMSG_ERROR 0), so single verbs and batches can be run
/// without privileges and their bytes compared.
/// </summary>
internal sealed class RecordingKernel : IDisposable
{
    private const int AF_UNIX = 1;
    private const int SOCK_SEQPACKET = 5;
    private const int SOCK_CLOEXEC = 0x80000;

    private readonly SafeFileDescriptorHandle _end;
    private readonly Thread _thread;
    private readonly ConcurrentQueue<byte[]> _messages = new();

    public RecordingKernel()
    {
        int[] fds = new int[2];
        unsafe
        {
            fixed (int* p = fds)
            {
                Assert.That(SocketPair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, p), Is.Zero, "socketpair");
            }
        }

        Manager = LinkManager.FromSocket(NetlinkSocket.FromHandle(new SafeFileDescriptorHandle(fds[0]), 4242));
        _end = new SafeFileDescriptorHandle(fds[1]);
        _thread = new Thread(Serve) { IsBackground = true, Name = "recording netlink kernel" };
        _thread.Start();
    }

    /// <summary>A manager whose socket talks to this kernel.</summary>
    public LinkManager Manager { get; }

    public Exception? Failure { get; private set; }

    /// <summary>Takes every message recorded so far, in the order they arrived.</summary>
    public List<byte[]> Take()
    {
        var taken = new List<byte[]>();
        while (_messages.TryDequeue(out byte[]? message))
        {
            taken.Add(message);
        }

        return taken;
    }

    public void Dispose()
    {
        Manager.Dispose();
        Assert.That(_thread.Join(TimeSpan.FromSeconds(10)), Is.True, "the recording kernel did not stop");
        _end.Dispose();
        Assert.That(Failure, Is.Null, "the recording kernel failed");
    }

    [DllImport("libc", EntryPoint = "socketpair", SetLastError = true)]
    private static extern unsafe int SocketPair(int domain, int type, int protocol, int* fds);

    [DllImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static extern unsafe nint Recv(int fd, byte* buffer, nuint length, int flags);

    [DllImport("libc", EntryPoint = "send", SetLastError = true)]
    private static extern unsafe nint SendRaw(int fd, byte* buffer, nuint length, int flags);

    private unsafe void Serve()
    {
        try
        {
            byte[] buffer = new byte[256 * 1024];
            while (true)
            {
                nint received;
                fixed (byte* p = buffer)
                {
                    received = Recv(_end.DangerousGetFd(), p, (nuint)buffer.Length, 0);
                }

                if (received < 16)
                {
                    return; // the manager's socket was closed
                }

                byte[] acks = new byte[(int)received * 3];
                var writer = new NetlinkMessageWriter(acks);
                for (int offset = 0; offset + 16 <= received;)
                {
                    NetlinkHeader header = MemoryMarshal.Read<NetlinkHeader>(buffer.AsSpan(offset));
                    _messages.Enqueue(buffer.AsSpan(offset, (int)header.Length).ToArray());
                    offset += NetlinkMessageWriter.Align((int)header.Length);
                    writer.BeginMessage(2 /* NLMSG_ERROR */, (NetlinkMessageFlags)0x100 /* NLM_F_CAPPED */, header.Sequence, header.PortId);
                    writer.WriteHeader(0);
                    writer.WriteHeader(header);
                    writer.EndMessage();
                }

                fixed (byte* p = acks)
                {
                    if (SendRaw(_end.DangerousGetFd(), p, (nuint)writer.BytesWritten, 0) != writer.BytesWritten)
                    {
                        return;
                    }
                }
            }
        }
        catch (Exception e)
        {
            Failure = e;
        }
    }
}
