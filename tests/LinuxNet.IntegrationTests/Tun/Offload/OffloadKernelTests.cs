using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using LinuxNet.Tun.Offload;

namespace LinuxNet.IntegrationTests.Tun.Offload;

/// <summary>
/// Proves the offload helpers against the kernel without the TunDevice class: two namespaces, each with a TUN
/// device opened with IFF_VNET_HDR and TUNSETOFFLOAD (CSUM | TSO4 | TSO6). A TCP stream from namespace A to B is
/// carried by a forwarder in the test that reads GSO super-frames from tunA, cuts them with
/// <see cref="GsoSplitter"/> (every segment is checked with a scalar checksum written here), re-coalesces the
/// segments with <see cref="GroCoalescer"/> and writes the super-frames into tunB; the reverse direction (ACKs)
/// goes through the same code. The receiver must get every byte intact.
/// </summary>
[Category("Privileged")]
[NonParallelizable]
public class OffloadKernelTests
{
    // /usr/include/linux/if_tun.h, /usr/include/linux/sched.h
    private const nuint TUNSETIFF = 0x400454CA;
    private const nuint TUNSETOFFLOAD = 0x400454D0;
    private const short IFF_TUN = 0x0001;
    private const short IFF_NO_PI = 0x1000;
    private const short IFF_VNET_HDR = 0x4000;
    private const uint TUN_F_CSUM = 0x01, TUN_F_TSO4 = 0x02, TUN_F_TSO6 = 0x04;

    // Kernel 6.2+ (include/uapi/linux/if_tun.h); missing from the build machine's older uapi header.
    private const uint TUN_F_USO4 = 0x20, TUN_F_USO6 = 0x40;

    // include/uapi/linux/udp.h
    private const int IPPROTO_UDP = 17;
    private const int UDP_SEGMENT = 103;
    private const int CLONE_NEWNET = 0x40000000;
    private const short POLLIN = 0x1;

    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static extern int SetNs(int fd, int nstype);

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEuid();

    private readonly List<string> _namespaces = [];

    [SetUp]
    public void RequireRoot()
    {
        if (GetEuid() != 0)
        {
            Assert.Ignore("requires root (CAP_NET_ADMIN, CAP_SYS_ADMIN) to create namespaces and TUN devices");
        }

        if (!File.Exists("/dev/net/tun"))
        {
            Assert.Ignore("requires /dev/net/tun");
        }
    }

    [TearDown]
    public void DeleteNamespaces()
    {
        foreach (string name in _namespaces)
        {
            Ip($"netns del {name}", check: false);
        }

        _namespaces.Clear();
    }

    private sealed record Lab(SafeHandleFd TunA, SafeHandleFd TunB, string NsA, string NsB, string AddrA, string AddrB) : IDisposable
    {
        public void Dispose()
        {
            TunA.Dispose();
            TunB.Dispose();
        }
    }

    /// <summary>Two namespaces, each with an offload-enabled TUN "lnt0" addressed and routed towards the other.</summary>
    private Lab CreateLab(bool v6, uint offloads)
    {
        string id = Guid.NewGuid().ToString("N")[..8];
        string nsA = $"lnt-{id}-a", nsB = $"lnt-{id}-b";
        Ip($"netns add {nsA}");
        _namespaces.Add(nsA);
        Ip($"netns add {nsB}");
        _namespaces.Add(nsB);

        SafeHandleFd tunA = InNamespace(nsA, () => OpenTun("lnt0", offloads));
        SafeHandleFd tunB;
        try
        {
            tunB = InNamespace(nsB, () => OpenTun("lnt0", offloads));
        }
        catch
        {
            tunA.Dispose();
            throw;
        }

        string addrA = v6 ? "2001:db8:a::1" : "198.51.100.1", addrB = v6 ? "2001:db8:b::1" : "203.0.113.1";
        string netA = v6 ? "2001:db8:a::/64" : "198.51.100.0/24", netB = v6 ? "2001:db8:b::/64" : "203.0.113.0/24";
        string nodad = v6 ? " nodad" : string.Empty;
        foreach ((string ns, string addr, string peerNet) in new[] { (nsA, addrA, netB), (nsB, addrB, netA) })
        {
            Ip($"-n {ns} link set lo up");
            Ip($"-n {ns} addr add {addr}/{(v6 ? 64 : 24)} dev lnt0{nodad}");
            Ip($"-n {ns} link set lnt0 up");
            Ip($"-n {ns} route add {peerNet} dev lnt0");
        }

        return new Lab(tunA, tunB, nsA, nsB, addrA, addrB);
    }

    [TestCase(false)]
    [TestCase(true)]
    public void TcpStream_ThroughSplitterAndCoalescer_ArrivesIntactAndSuperFramesSplitIntoValidSegments(bool v6)
    {
        using Lab lab = CreateLab(v6, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6);
        (SafeHandleFd tunA, SafeHandleFd tunB, string nsA, string nsB, string addrB) = (lab.TunA, lab.TunB, lab.NsA, lab.NsB, lab.AddrB);

        var forward = new Forwarder(tunA.Fd, tunB.Fd);
        var backward = new Forwarder(tunB.Fd, tunA.Fd);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var threads = new[] { new Thread(() => forward.Run(stop.Token)), new Thread(() => backward.Run(stop.Token)) };
        foreach (Thread t in threads)
        {
            t.IsBackground = true;
            t.Start();
        }

        byte[] sent = new byte[8 << 20];
        new Random(5).NextBytes(sent);
        byte[] received = new byte[sent.Length];
        int receivedLength = 0;
        try
        {
            using Socket listener = InNamespace(nsB, () => new Socket(v6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
            listener.Bind(new IPEndPoint(IPAddress.Parse(addrB), 5201));
            listener.Listen(1);
            using Socket client = InNamespace(nsA, () => new Socket(v6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
            client.SendTimeout = 20_000;
            client.Connect(new IPEndPoint(IPAddress.Parse(addrB), 5201));
            using Socket server = listener.Accept();
            server.ReceiveTimeout = 20_000;
            var sender = new Thread(() =>
            {
                try
                {
                    client.Send(sent);
                    client.Shutdown(SocketShutdown.Send);
                }
                catch (SocketException)
                {
                    // The receiver's assertion reports the shortfall.
                }
            }) { IsBackground = true };
            sender.Start();
            int n;
            while (receivedLength < received.Length && (n = server.Receive(received, receivedLength, received.Length - receivedLength, SocketFlags.None)) > 0)
            {
                receivedLength += n;
            }

            sender.Join(TimeSpan.FromSeconds(20));
        }
        finally
        {
            stop.Cancel();
            foreach (Thread t in threads)
            {
                t.Join(TimeSpan.FromSeconds(5));
            }
        }

        TestContext.Out.WriteLine($"A->B: {forward}");
        TestContext.Out.WriteLine($"B->A: {backward}");
        VirtioNetGsoType expectedType = v6 ? VirtioNetGsoType.TcpV6 : VirtioNetGsoType.TcpV4;
        Assert.Multiple(() =>
        {
            Assert.That(forward.Errors, Is.Empty);
            Assert.That(backward.Errors, Is.Empty);
            Assert.That(receivedLength, Is.EqualTo(sent.Length));
            Assert.That(received.AsSpan().SequenceEqual(sent), Is.True, "bytes arrive intact");
            Assert.That(forward.SuperFrames[(int)expectedType], Is.GreaterThan(0), $"the kernel handed out {expectedType} super-frames");
            Assert.That(forward.MaxSegmentsPerFrame, Is.GreaterThan(1));
            Assert.That(forward.SegmentsVerified, Is.GreaterThan(sent.Length / 65536));
            Assert.That(forward.CoalescedFramesWritten, Is.GreaterThan(0), "super-frames built by GroCoalescer were accepted by the kernel");
        });
    }

    [TestCase(false)]
    [TestCase(true)]
    public void UdpGsoDatagrams_ThroughSplitter_EachDatagramArrivesIntact(bool v6)
    {
        Lab lab;
        try
        {
            lab = CreateLab(v6, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_USO4 | TUN_F_USO6);
        }
        catch (InvalidOperationException e) when (e.InnerException is LinuxNetException { Errno: Errno.EINVAL })
        {
            Assert.Ignore("requires a kernel whose TUN driver accepts TUN_F_USO4/TUN_F_USO6 (6.2+)");
            return;
        }

        using Lab disposeLab = lab;
        var forward = new Forwarder(lab.TunA.Fd, lab.TunB.Fd);
        var backward = new Forwarder(lab.TunB.Fd, lab.TunA.Fd);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var threads = new[] { new Thread(() => forward.Run(stop.Token)), new Thread(() => backward.Run(stop.Token)) };
        foreach (Thread t in threads)
        {
            t.IsBackground = true;
            t.Start();
        }

        const int segmentSize = 1200, perSend = 50, sends = 20;
        byte[] sent = new byte[segmentSize * perSend * sends];
        new Random(6).NextBytes(sent);
        byte[] datagram = new byte[65536];
        var mismatches = new List<int>();
        int received = 0;
        try
        {
            AddressFamily family = v6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
            using Socket receiver = InNamespace(lab.NsB, () => new Socket(family, SocketType.Dgram, ProtocolType.Udp));
            receiver.Bind(new IPEndPoint(IPAddress.Parse(lab.AddrB), 4789));
            receiver.ReceiveTimeout = 5_000;
            using Socket sender = InNamespace(lab.NsA, () => new Socket(family, SocketType.Dgram, ProtocolType.Udp));
            sender.Connect(new IPEndPoint(IPAddress.Parse(lab.AddrB), 4789));
            sender.SetRawSocketOption(IPPROTO_UDP, UDP_SEGMENT, BitConverter.GetBytes(segmentSize));

            // Lock step: one 60,000-byte GSO send, then its 50 datagrams, so no receive buffer can overflow.
            for (int i = 0; i < sends; i++)
            {
                sender.Send(sent, i * segmentSize * perSend, segmentSize * perSend, SocketFlags.None);
                for (int k = 0; k < perSend; k++)
                {
                    int n = receiver.Receive(datagram);
                    if (n != segmentSize || !datagram.AsSpan(0, n).SequenceEqual(sent.AsSpan(received * segmentSize, segmentSize)))
                    {
                        mismatches.Add(received);
                    }

                    received++;
                }
            }
        }
        finally
        {
            stop.Cancel();
            foreach (Thread t in threads)
            {
                t.Join(TimeSpan.FromSeconds(5));
            }
        }

        TestContext.Out.WriteLine($"A->B: {forward}");
        Assert.Multiple(() =>
        {
            Assert.That(forward.Errors, Is.Empty);
            Assert.That(received, Is.EqualTo(perSend * sends));
            Assert.That(mismatches, Is.Empty, "datagrams that differ from what was sent");
            Assert.That(forward.SuperFrames[(int)VirtioNetGsoType.UdpL4], Is.GreaterThan(0), "the kernel handed out UDP_L4 super-frames");
            Assert.That(forward.MaxSegmentsPerFrame, Is.EqualTo(perSend));
        });
    }

    /// <summary>Reads frames from one TUN, splits and checks them, coalesces the segments and writes them to the other.</summary>
    private sealed class Forwarder(int from, int to)
    {
        private readonly byte[] _frame = new byte[VirtioNetHeader.Size + 65535 + 100];
        private readonly byte[] _segment = new byte[65535];
        private readonly byte[] _passThrough = new byte[VirtioNetHeader.Size + 65535];
        private readonly GroCoalescer _gro = new();

        public List<string> Errors { get; } = [];

        public long[] SuperFrames { get; } = new long[256];

        public int MaxSegmentsPerFrame { get; private set; }

        public long SegmentsVerified { get; private set; }

        public long CoalescedFramesWritten { get; private set; }

        public long FramesRead { get; private set; }

        public override string ToString() =>
            $"{FramesRead} frames read, TCPv4 super-frames {SuperFrames[1]}, TCPv6 {SuperFrames[4]}, UDP_L4 {SuperFrames[5]}, max {MaxSegmentsPerFrame} segments, {SegmentsVerified} segments verified, {CoalescedFramesWritten} coalesced frames written";

        public unsafe void Run(CancellationToken cancellationToken)
        {
            try
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    var pfd = new PollFd { Fd = from, Events = POLLIN };
                    int ready = Interop.Libc.Poll(&pfd, 1, 50);
                    if (ready <= 0)
                    {
                        continue;
                    }

                    nint n;
                    fixed (byte* p = _frame)
                    {
                        n = Interop.Libc.Read(from, p, (nuint)_frame.Length);
                    }

                    if (n < 0)
                    {
                        int errno = Marshal.GetLastPInvokeError();
                        if (errno is 4 or 11)
                        {
                            continue;
                        }

                        Errors.Add($"read errno {errno}");
                        return;
                    }

                    FramesRead++;
                    Process(_frame.AsSpan(0, (int)n));
                }
            }
            catch (Exception e)
            {
                Errors.Add(e.ToString());
            }
        }

        private void Process(ReadOnlySpan<byte> frame)
        {
            VirtioNetHeader header = VirtioNetHeader.Read(frame);
            ReadOnlySpan<byte> packet = frame.Slice(VirtioNetHeader.Size);
            if (packet.Length == 0 || (packet[0] >> 4) is not (4 or 6))
            {
                return;
            }

            GsoSplitter splitter = GsoSplitter.Create(header, packet);
            if (header.GsoProtocol != VirtioNetGsoType.None && header.GsoSize > 0)
            {
                SuperFrames[(int)header.GsoProtocol]++;
                MaxSegmentsPerFrame = Math.Max(MaxSegmentsPerFrame, splitter.SegmentCount);
            }

            uint expectedSequence = 0;
            for (int i = 0; i < splitter.SegmentCount; i++)
            {
                int length = splitter.WriteSegment(i, _segment);
                ReadOnlySpan<byte> s = _segment.AsSpan(0, length);
                Verify(s, header, i, ref expectedSequence);
                Forward(s);
            }

            // Never hold packets back across reads: latency would stall the TCP stream.
            if (_gro.HasPending)
            {
                WriteFrame(_gro.Flush(), coalesced: true);
            }
        }

        private void Verify(ReadOnlySpan<byte> s, VirtioNetHeader header, int index, ref uint expectedSequence)
        {
            bool v6 = s[0] >> 4 == 6;
            int ihl = v6 ? 40 : (s[0] & 0xF) * 4;
            byte protocol = v6 ? s[6] : s[9];
            if (!v6 && ScalarSum(s.Slice(0, ihl), 0) != 0xFFFF)
            {
                Errors.Add($"segment {index}: bad IPv4 header checksum");
            }

            if (protocol is not (6 or 17))
            {
                return;
            }

            ReadOnlySpan<byte> tcp = s.Slice(ihl);
            byte[] pseudo = v6 ? new byte[40] : new byte[12];
            if (v6)
            {
                s.Slice(8, 32).CopyTo(pseudo);
                BinaryPrimitives.WriteUInt32BigEndian(pseudo.AsSpan(32), (uint)tcp.Length);
                pseudo[39] = protocol;
            }
            else
            {
                s.Slice(12, 8).CopyTo(pseudo);
                pseudo[9] = protocol;
                BinaryPrimitives.WriteUInt16BigEndian(pseudo.AsSpan(10), (ushort)tcp.Length);
            }

            if (ScalarSum(tcp, ScalarSum(pseudo, 0)) != 0xFFFF)
            {
                Errors.Add($"segment {index} of {header}: bad {(protocol == 6 ? "TCP" : "UDP")} checksum");
            }

            if (protocol == 17)
            {
                if (BinaryPrimitives.ReadUInt16BigEndian(tcp.Slice(4)) != tcp.Length)
                {
                    Errors.Add($"segment {index}: UDP length {BinaryPrimitives.ReadUInt16BigEndian(tcp.Slice(4))}, datagram {tcp.Length}");
                }

                SegmentsVerified++;
                return;
            }

            uint sequence = BinaryPrimitives.ReadUInt32BigEndian(tcp.Slice(4));
            if (index > 0 && sequence != expectedSequence)
            {
                Errors.Add($"segment {index}: sequence {sequence}, expected {expectedSequence}");
            }

            expectedSequence = unchecked(sequence + (uint)(tcp.Length - ((tcp[12] >> 4) * 4)));
            SegmentsVerified++;
        }

        private void Forward(ReadOnlySpan<byte> packet)
        {
            GroAddResult result = _gro.Add(packet);
            if (result == GroAddResult.FlushRequired)
            {
                WriteFrame(_gro.Flush(), coalesced: true);
                result = _gro.Add(packet);
            }

            if (result == GroAddResult.NotCoalescable)
            {
                if (_gro.HasPending)
                {
                    WriteFrame(_gro.Flush(), coalesced: true);
                }

                int n = GroCoalescer.WritePassThrough(packet, _passThrough);
                WriteFrame(_passThrough.AsSpan(0, n), coalesced: false);
            }
        }

        private unsafe void WriteFrame(ReadOnlySpan<byte> frame, bool coalesced)
        {
            if (coalesced && VirtioNetHeader.Read(frame).GsoProtocol != VirtioNetGsoType.None)
            {
                CoalescedFramesWritten++;
            }

            fixed (byte* p = frame)
            {
                if (Interop.Libc.Write(to, p, (nuint)frame.Length) != frame.Length)
                {
                    Errors.Add($"write of {frame.Length} bytes ({VirtioNetHeader.Read(frame)}) failed: errno {Marshal.GetLastPInvokeError()}");
                }
            }
        }

        private static ushort ScalarSum(ReadOnlySpan<byte> data, uint initial)
        {
            ulong sum = initial;
            for (int i = 0; i + 1 < data.Length; i += 2)
            {
                sum += (uint)((data[i] << 8) | data[i + 1]);
            }

            if ((data.Length & 1) != 0)
            {
                sum += (uint)(data[^1] << 8);
            }

            while (sum > 0xFFFF)
            {
                sum = (sum & 0xFFFF) + (sum >> 16);
            }

            return (ushort)sum;
        }
    }

    private sealed class SafeHandleFd(SafeFileDescriptorHandle handle) : IDisposable
    {
        public int Fd => handle.DangerousGetFd();

        public void Dispose() => handle.Dispose();
    }

    private static unsafe SafeHandleFd OpenTun(string name, uint offloads)
    {
        SafeFileDescriptorHandle fd = Interop.Libc.Open("/dev/net/tun", LinuxFcntl.O_RDWR);
        byte* ifreq = stackalloc byte[40];
        new Span<byte>(ifreq, 40).Clear();
        System.Text.Encoding.ASCII.GetBytes(name).CopyTo(new Span<byte>(ifreq, 16));
        *(short*)(ifreq + 16) = IFF_TUN | IFF_NO_PI | IFF_VNET_HDR;
        Interop.CheckIo(Interop.Libc.Ioctl(fd.DangerousGetFd(), TUNSETIFF, ifreq), "ioctl(TUNSETIFF)", "CAP_NET_ADMIN");
        Interop.CheckIo(Interop.Libc.Ioctl(fd.DangerousGetFd(), TUNSETOFFLOAD, (nint)offloads), "ioctl(TUNSETOFFLOAD)", null);
        return new SafeHandleFd(fd);
    }

    /// <summary>Runs <paramref name="action"/> on a dedicated thread inside the named namespace, then returns the thread to its own.</summary>
    private static T InNamespace<T>(string name, Func<T> action)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            using SafeFileDescriptorHandle original = Interop.Libc.Open("/proc/thread-self/ns/net", LinuxFcntl.O_RDONLY);
            using SafeFileDescriptorHandle target = Interop.Libc.Open($"/run/netns/{name}", LinuxFcntl.O_RDONLY);
            if (SetNs(target.DangerousGetFd(), CLONE_NEWNET) != 0)
            {
                failure = new InvalidOperationException($"setns into {name}: errno {Marshal.GetLastPInvokeError()}");
                return;
            }

            try
            {
                result = action();
            }
            catch (Exception e)
            {
                failure = e;
            }
            finally
            {
                if (SetNs(original.DangerousGetFd(), CLONE_NEWNET) != 0)
                {
                    Environment.FailFast("could not return a thread to its network namespace");
                }
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw new InvalidOperationException($"in namespace {name}", failure);
        }

        return result;
    }

    private static void Ip(string arguments, bool check = true)
    {
        using var process = Process.Start(new ProcessStartInfo("ip", arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit(10_000);
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ip {arguments}: {error}");
        }
    }
}
