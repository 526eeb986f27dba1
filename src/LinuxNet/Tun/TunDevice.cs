using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Pipelines;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using LinuxNet.Namespaces;
using Microsoft.Extensions.Logging.Abstractions;

namespace LinuxNet.Tun;

/// <summary>
/// A TUN (IP packets) or TAP (Ethernet frames) device, with one or more queues through which the program reads the
/// frames the kernel routes into the device and writes frames the kernel receives from it.
/// </summary>
/// <remarks>
/// <para>
/// Equivalent to <c>ip tuntap add dev NAME mode tun|tap [multi_queue] [user U] [group G]</c>, except that the
/// device lives only while it is open unless <see cref="TunDeviceOptions.Persistent"/> is set. The new device is
/// down and has no address: <see cref="BringUp"/> sets the MTU, adds addresses and sets it up through the link API
/// (use <see cref="Route.LinkManager"/> directly for peers, routes and the rest).
/// </para>
/// <para>
/// Requires CAP_NET_ADMIN in the user namespace owning the network namespace (or, to attach to an existing
/// persistent device, being its owner or group). The device is created in the network namespace of the calling
/// thread, or in the namespace given to <see cref="Create(TunDeviceOptions, NetNamespace)"/> (opened on that
/// namespace's pinned thread), and stays there; its descriptors can then be used from any thread.
/// </para>
/// <para>
/// Thread safety: the device's members can be called from any thread. Each <see cref="TunQueue"/> supports one
/// reader and one writer at a time. The frame members on this class use <see cref="Queues"/>[0].
/// </para>
/// </remarks>
public sealed partial class TunDevice : IDisposable
{
    private const string DevNetTun = "/dev/net/tun";

    private readonly TunQueue[] _queues;
    private readonly IReadOnlyList<TunQueue> _queueList;
    private volatile bool _disposed;

    private TunDevice(string name, TunDeviceOptions options, bool vnet, int vnetSize, TunOffloads offloads, ILogger logger, int queueCount)
    {
        Name = name;
        Mode = options.Mode;
        PacketInformation = options.PacketInformation;
        VirtioNetHeaderSize = vnet ? vnetSize : 0;
        Offloads = offloads;
        IsMultiQueue = options.IsMultiQueue;
        IsPersistent = options.Persistent;
        Logger = logger;
        LoggerFactory = options.LoggerFactory;
        HeaderLength = (PacketInformation ? LinuxIfTun.TunPiSize : 0) + VirtioNetHeaderSize;
        MaxFrameSize = HeaderLength + 0xFFFF + (Mode == TunMode.Tap ? 18 : 0);
        _queues = new TunQueue[queueCount];
        _queueList = Array.AsReadOnly(_queues);
    }

    /// <summary>The interface name the kernel gave the device (the completed pattern, e.g. <c>tun0</c>).</summary>
    public string Name { get; }

    /// <summary>The interface index in the device's network namespace, read when the device was opened.</summary>
    public int InterfaceIndex { get; private set; }

    /// <summary>TUN or TAP.</summary>
    public TunMode Mode { get; }

    /// <summary>Whether each frame starts with the 4-byte <c>struct tun_pi</c>.</summary>
    public bool PacketInformation { get; }

    /// <summary>
    /// The size of the virtio-net header in front of each frame (after the packet information, if any), or 0 when the
    /// device has none (not asked for, or the kernel lacks <c>IFF_VNET_HDR</c>).
    /// </summary>
    public int VirtioNetHeaderSize { get; }

    /// <summary>The offloads in effect: those asked for, minus any the kernel rejected.</summary>
    public TunOffloads Offloads { get; }

    /// <summary>Whether the device is multi-queue (<c>IFF_MULTI_QUEUE</c>).</summary>
    public bool IsMultiQueue { get; }

    /// <summary>Whether the device outlives its descriptors (<c>TUNSETPERSIST</c>).</summary>
    public bool IsPersistent { get; private set; }

    /// <summary>The bytes of headers in front of each frame's packet: packet information plus virtio-net header.</summary>
    public int HeaderLength { get; }

    /// <summary>
    /// The largest frame a read can return and a write can take, headers included: <see cref="HeaderLength"/> +
    /// 65,535 (+ 18 for a TAP device's Ethernet and VLAN headers). A read buffer of this size never truncates.
    /// </summary>
    public int MaxFrameSize { get; }

    /// <summary>The device's queues, one descriptor each; <see cref="TunDeviceOptions.QueueCount"/> long.</summary>
    public IReadOnlyList<TunQueue> Queues => _queueList;

    internal ILogger Logger { get; }

    internal ILoggerFactory? LoggerFactory { get; }

    /// <summary>The <c>TUNSETIFF</c> flags the running kernel supports (<c>ioctl(TUNGETFEATURES)</c>).</summary>
    /// <returns>The supported flags.</returns>
    /// <exception cref="LinuxNetException"><c>/dev/net/tun</c> cannot be opened (no <c>tun</c> module, or no permission).</exception>
    public static TunFeatures GetKernelFeatures()
    {
        using SafeFileDescriptorHandle fd = Interop.Libc.Open(DevNetTun, LinuxFcntl.O_RDWR, 0, $"open('{DevNetTun}')", "CAP_NET_ADMIN");
        return GetFeatures(fd);
    }

    /// <summary>Creates a TUN/TAP device in the calling thread's network namespace.</summary>
    /// <param name="options">Name, mode, headers, queues, persistence, offloads.</param>
    /// <returns>The open device.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid or contradict each other (checked before any system call).</exception>
    /// <exception cref="NotSupportedException">A multi-queue device was asked for and the kernel does not support it.</exception>
    /// <exception cref="LinuxNetException">
    /// The kernel refused: <see cref="LinuxNetException.IsAlreadyExists"/> when a device of that name exists,
    /// <see cref="LinuxNetException.IsPermissionDenied"/> without CAP_NET_ADMIN.
    /// </exception>
    public static TunDevice Create(TunDeviceOptions options)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        options.Validate();
        return CreateCore(options, openExisting: false);
    }

    /// <summary>Creates a TUN/TAP device inside <paramref name="netNamespace"/>.</summary>
    /// <param name="options">Name, mode, headers, queues, persistence, offloads.</param>
    /// <param name="netNamespace">The namespace to create the device in. The descriptors are opened on its pinned thread and then usable from any thread.</param>
    /// <returns>The open device.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid or contradict each other (checked before any system call).</exception>
    /// <exception cref="NotSupportedException">A multi-queue device was asked for and the kernel does not support it.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="netNamespace"/> is disposed.</exception>
    /// <exception cref="LinuxNetException">The kernel refused (see <see cref="Create(TunDeviceOptions)"/>).</exception>
    public static TunDevice Create(TunDeviceOptions options, NetNamespace netNamespace)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        if (netNamespace is null)
        {
            throw new ArgumentNullException(nameof(netNamespace));
        }

        options.Validate();

        // Start the shared poller here, outside the namespace, before the pinned thread first registers a queue.
        _ = FileDescriptorPoller.Shared;
        return netNamespace.Invoke(static o => CreateCore(o, openExisting: false), options);
    }

    /// <summary>
    /// Attaches to an existing (persistent) TUN/TAP device named <see cref="TunDeviceOptions.Name"/>, in the calling
    /// thread's network namespace. The mode and multi-queue setting must match the device's.
    /// </summary>
    /// <param name="options">The device's name (not a pattern) and how to open it.</param>
    /// <returns>The open device.</returns>
    /// <exception cref="ArgumentException">The options are invalid, or the name is missing or a pattern.</exception>
    /// <exception cref="LinuxNetException">
    /// <see cref="LinuxNetException.IsNotFound"/> when no such device exists; <c>EINVAL</c> when its mode or
    /// multi-queue setting differs; <c>EBUSY</c> when a single-queue device is already attached.
    /// </exception>
    public static TunDevice Open(TunDeviceOptions options)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        options.Validate();
        if (options.Name is null || options.Name.IndexOf('%') >= 0)
        {
            throw new ArgumentException("Opening an existing device needs its exact name, not a pattern.", nameof(options));
        }

        return CreateCore(options, openExisting: true);
    }

    /// <summary>Attaches to an existing (persistent) TUN/TAP device inside <paramref name="netNamespace"/>.</summary>
    /// <param name="options">The device's name (not a pattern) and how to open it.</param>
    /// <param name="netNamespace">The namespace the device lives in.</param>
    /// <returns>The open device.</returns>
    /// <exception cref="ArgumentException">The options are invalid, or the name is missing or a pattern.</exception>
    /// <exception cref="LinuxNetException">See <see cref="Open(TunDeviceOptions)"/>.</exception>
    public static TunDevice Open(TunDeviceOptions options, NetNamespace netNamespace)
    {
        if (netNamespace is null)
        {
            throw new ArgumentNullException(nameof(netNamespace));
        }

        _ = FileDescriptorPoller.Shared;
        return netNamespace.Invoke(static o => Open(o), options);
    }

    /// <summary>
    /// Deletes a persistent TUN/TAP device in the calling thread's network namespace: attaches to it and clears
    /// persistence (<c>TUNSETPERSIST 0</c>), so it disappears when the descriptor closes. Equivalent to
    /// <c>ip tuntap del dev NAME mode tun|tap</c>.
    /// </summary>
    /// <param name="name">The device's name.</param>
    /// <param name="mode">The device's mode.</param>
    /// <param name="multiQueue">Whether the device is multi-queue.</param>
    /// <param name="netNamespace">The namespace the device lives in; <see langword="null"/> for the calling thread's.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid interface name.</exception>
    /// <exception cref="LinuxNetException"><see cref="LinuxNetException.IsNotFound"/> when there is no such device; <c>EBUSY</c> when it is in use.</exception>
    public static void DeletePersistent(string name, TunMode mode = TunMode.Tun, bool multiQueue = false, NetNamespace? netNamespace = null)
    {
        if (name is null)
        {
            throw new ArgumentNullException(nameof(name));
        }

        TunDeviceOptions.ValidateName(name, nameof(name), allowPattern: false);
        var options = new TunDeviceOptions { Name = name, Mode = mode, MultiQueue = multiQueue };
        using TunDevice device = netNamespace is null ? Open(options) : Open(options, netNamespace);
        device.SetPersistent(false);
    }

    /// <summary>Makes the device persistent or not (<c>TUNSETPERSIST</c>). A non-persistent device disappears when its last descriptor closes.</summary>
    /// <param name="persistent">The new setting.</param>
    /// <exception cref="ObjectDisposedException">The device is disposed.</exception>
    /// <exception cref="LinuxNetException">The kernel refused.</exception>
    public void SetPersistent(bool persistent)
    {
        IoctlValue(LinuxIfTun.TUNSETPERSIST, persistent ? 1 : 0, $"ioctl(TUNSETPERSIST, {(persistent ? 1 : 0)}) on '{Name}'");
        IsPersistent = persistent;
        TunLog.PersistenceChanged(Logger, Name, persistent);
    }

    /// <summary>Turns the device's carrier on or off (<c>TUNSETCARRIER</c>); with the carrier off the link is down (<c>NO-CARRIER</c>) even when set up.</summary>
    /// <param name="carrier">Whether the carrier is on.</param>
    /// <exception cref="ObjectDisposedException">The device is disposed.</exception>
    /// <exception cref="LinuxNetException">The kernel refused (CAP_NET_ADMIN is needed).</exception>
    public unsafe void SetCarrier(bool carrier)
    {
        int value = carrier ? 1 : 0;
        IoctlPointer(LinuxIfTun.TUNSETCARRIER, &value, $"ioctl(TUNSETCARRIER, {value}) on '{Name}'");
        TunLog.CarrierChanged(Logger, Name, carrier);
    }

    /// <inheritdoc cref="TunQueue.ReadFrame(Span{byte})"/>
    public int ReadFrame(Span<byte> buffer) => _queues[0].ReadFrame(buffer, CancellationToken.None);

    /// <inheritdoc cref="TunQueue.ReadFrame(Span{byte}, CancellationToken)"/>
    public int ReadFrame(Span<byte> buffer, CancellationToken cancellationToken) => _queues[0].ReadFrame(buffer, cancellationToken);

    /// <inheritdoc cref="TunQueue.WriteFrame(ReadOnlySpan{byte})"/>
    public void WriteFrame(ReadOnlySpan<byte> frame) => _queues[0].WriteFrame(frame, CancellationToken.None);

    /// <inheritdoc cref="TunQueue.ReadFrameAsync(Memory{byte}, CancellationToken)"/>
    public ValueTask<int> ReadFrameAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _queues[0].ReadFrameAsync(buffer, cancellationToken);

    /// <inheritdoc cref="TunQueue.WriteFrameAsync(ReadOnlyMemory{byte}, CancellationToken)"/>
    public ValueTask WriteFrameAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken = default) => _queues[0].WriteFrameAsync(frame, cancellationToken);

    /// <inheritdoc cref="TunQueue.ReadPackets"/>
    public int ReadPackets(ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, int offset, CancellationToken cancellationToken = default)
        => _queues[0].ReadPackets(buffers, sizes, offset, cancellationToken);

    /// <inheritdoc cref="TunQueue.ReadPacketsAsync"/>
    public ValueTask<int> ReadPacketsAsync(ReadOnlyMemory<Memory<byte>> buffers, Memory<int> sizes, int offset, CancellationToken cancellationToken = default)
        => _queues[0].ReadPacketsAsync(buffers, sizes, offset, cancellationToken);

    /// <inheritdoc cref="TunQueue.WritePackets"/>
    public int WritePackets(ReadOnlySpan<Memory<byte>> buffers, ReadOnlySpan<int> sizes, int offset, CancellationToken cancellationToken = default)
        => _queues[0].WritePackets(buffers, sizes, offset, cancellationToken);

    /// <inheritdoc cref="TunQueue.WritePacketsAsync"/>
    public ValueTask<int> WritePacketsAsync(ReadOnlyMemory<Memory<byte>> buffers, ReadOnlyMemory<int> sizes, int offset, CancellationToken cancellationToken = default)
        => _queues[0].WritePacketsAsync(buffers, sizes, offset, cancellationToken);

    /// <inheritdoc cref="TunQueue.AsStream"/>
    public Stream AsStream() => _queues[0].AsStream();

    /// <inheritdoc cref="TunQueue.AsPipe"/>
    public IDuplexPipe AsPipe(TunPipeOptions? options = null) => _queues[0].AsPipe(options);

    /// <summary>
    /// Closes every queue. Pending reads and writes end with <see cref="ObjectDisposedException"/>. A non-persistent
    /// device disappears from the namespace; a persistent one stays (delete it with <see cref="DeletePersistent"/>).
    /// </summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (TunQueue? queue in _queues)
        {
            queue?.Dispose();
        }

        TunLog.DeviceClosed(Logger, Name);
    }

    internal static TunDevice CreateCore(TunDeviceOptions options, bool openExisting)
    {
        ILogger logger = (ILogger?)options.LoggerFactory?.CreateLogger("LinuxNet.Tun.TunDevice") ?? NullLogger.Instance;
        string requestedName = options.EffectiveName;
        if (openExisting)
        {
            // TUNSETIFF would quietly create a missing device; refuse instead.
            try
            {
                _ = GetInterfaceIndex(requestedName);
            }
            catch (LinuxNetException e) when (e.Errno == Errno.ENODEV)
            {
                throw new LinuxNetException(e.Errno, e.Operation, $"{e.Operation} failed: ENODEV: there is no device named '{requestedName}' in the network namespace it looked in, {DescribeCurrentNamespace()}; create it with TunDevice.Create, or open it in the namespace it lives in.", e);
            }
        }

        var fds = new List<SafeFileDescriptorHandle>(options.QueueCount);
        try
        {
            SafeFileDescriptorHandle first = OpenTun();
            fds.Add(first);
            TunFeatures features = GetFeatures(first);
            bool multiQueue = options.IsMultiQueue;
            if (multiQueue && (features & TunFeatures.MultiQueue) == 0)
            {
                throw new NotSupportedException("The kernel does not support multi-queue TUN/TAP devices (IFF_MULTI_QUEUE is not in TUNGETFEATURES).");
            }

            bool vnet = options.VirtioNetHeader;
            if (vnet && (features & TunFeatures.VirtioNetHeader) == 0)
            {
                TunLog.VirtioNetHeaderUnsupported(logger, requestedName);
                vnet = false;
            }

            short flags = (short)(options.Mode == TunMode.Tap ? LinuxIfTun.IFF_TAP : LinuxIfTun.IFF_TUN);
            if (!options.PacketInformation)
            {
                flags |= LinuxIfTun.IFF_NO_PI;
            }

            if (vnet)
            {
                flags |= LinuxIfTun.IFF_VNET_HDR;
            }

            if (multiQueue)
            {
                flags |= LinuxIfTun.IFF_MULTI_QUEUE;
            }

            bool exclusive = !openExisting && requestedName.IndexOf('%') < 0;
            string name;
            try
            {
                name = SetIff(first, requestedName, exclusive ? (short)(flags | LinuxIfTun.IFF_TUN_EXCL) : flags);
            }
            catch (LinuxNetException e) when (exclusive && e.Errno == Errno.EBUSY)
            {
                throw new LinuxNetException(Errno.EEXIST, $"ioctl(TUNSETIFF) on '{requestedName}'", $"ioctl(TUNSETIFF) on '{requestedName}' failed: a device named '{requestedName}' exists already (the kernel answered EBUSY to IFF_TUN_EXCL). Use TunDevice.Open to attach to a persistent device.", e);
            }

            int vnetSize = LinuxIfTun.VirtioNetHdrSize;
            TunOffloads offloads = TunOffloads.None;
            unsafe
            {
                if (vnet)
                {
                    if (options.VirtioNetHeaderSize is int size)
                    {
                        Ioctl(first, LinuxIfTun.TUNSETVNETHDRSZ, &size, $"ioctl(TUNSETVNETHDRSZ, {size}) on '{name}'");
                    }

                    int current;
                    Ioctl(first, LinuxIfTun.TUNGETVNETHDRSZ, &current, $"ioctl(TUNGETVNETHDRSZ) on '{name}'");
                    vnetSize = current;
                    offloads = SetOffloads(first, name, options.Offloads, logger);
                }

                if (options.SendBufferSize is int sndbuf)
                {
                    Ioctl(first, LinuxIfTun.TUNSETSNDBUF, &sndbuf, $"ioctl(TUNSETSNDBUF, {sndbuf}) on '{name}'");
                }
            }

            if (options.Owner is int owner)
            {
                IoctlValue(first, LinuxIfTun.TUNSETOWNER, owner, $"ioctl(TUNSETOWNER, {owner}) on '{name}'");
            }

            if (options.Group is int group)
            {
                IoctlValue(first, LinuxIfTun.TUNSETGROUP, group, $"ioctl(TUNSETGROUP, {group}) on '{name}'");
            }

            for (int i = 1; i < options.QueueCount; i++)
            {
                SafeFileDescriptorHandle fd = OpenTun();
                fds.Add(fd);
                SetIff(fd, name, flags);
            }

            if (options.Persistent)
            {
                IoctlValue(first, LinuxIfTun.TUNSETPERSIST, 1, $"ioctl(TUNSETPERSIST, 1) on '{name}'");
            }

            int index = GetInterfaceIndex(name);
            var device = new TunDevice(name, options, vnet, vnetSize, offloads, logger, options.QueueCount) { InterfaceIndex = index };
            try
            {
                for (int i = 0; i < fds.Count; i++)
                {
                    device._queues[i] = new TunQueue(device, fds[i], i);
                }
            }
            catch
            {
                device.Dispose();
                throw;
            }

            if (openExisting)
            {
                TunLog.DeviceOpened(logger, options.Mode, name, index);
            }
            else
            {
                TunLog.DeviceCreated(logger, options.Mode, name, index, options.QueueCount, flags);
            }

            fds.Clear();
            return device;
        }
        finally
        {
            foreach (SafeFileDescriptorHandle fd in fds)
            {
                fd.Dispose();
            }
        }
    }

    /// <summary>The calling thread's network namespace as <c>readlink /proc/thread-self/ns/net</c> shows it, with its name when it has one.</summary>
    private static string DescribeCurrentNamespace()
    {
        using NetNamespace current = NetNamespace.Current;
        foreach (string name in NetNamespace.List())
        {
            try
            {
                using NetNamespace named = NetNamespace.Open(name);
                if (named == current)
                {
                    return $"'{name}' (net:[{current.Inode}])";
                }
            }
            catch (LinuxNetException)
            {
                // A stale entry under /run/netns; it is not the one we are in.
            }
        }

        return $"net:[{current.Inode}]";
    }

    /// <summary>The interface index of <paramref name="name"/> in the calling thread's namespace (<c>SIOCGIFINDEX</c>).</summary>
    internal static unsafe int GetInterfaceIndex(string name)
    {
        using SafeFileDescriptorHandle socket = Interop.Libc.OpenSocket(LinuxSocket.AF_INET, LinuxSocket.SOCK_DGRAM, 0, "socket(AF_INET, SOCK_DGRAM)");
        IfReq request = default;
        WriteName(ref request, name);
        Interop.CheckIo(Interop.Libc.Ioctl(socket.DangerousGetFd(), LinuxIf.SIOCGIFINDEX, &request), $"ioctl(SIOCGIFINDEX) for '{name}'");
        return request.IntValue;
    }

    private static SafeFileDescriptorHandle OpenTun()
        => Interop.Libc.Open(DevNetTun, LinuxFcntl.O_RDWR | LinuxFcntl.O_NONBLOCK, 0, $"open('{DevNetTun}')", "CAP_NET_ADMIN");

    private static unsafe TunFeatures GetFeatures(SafeFileDescriptorHandle fd)
    {
        uint features = 0;
        Ioctl(fd, LinuxIfTun.TUNGETFEATURES, &features, "ioctl(TUNGETFEATURES)");
        return (TunFeatures)features;
    }

    private static unsafe string SetIff(SafeFileDescriptorHandle fd, string name, short flags)
    {
        IfReq request = default;
        WriteName(ref request, name);
        request.Flags = flags;
        Ioctl(fd, LinuxIfTun.TUNSETIFF, &request, $"ioctl(TUNSETIFF) on '{name}'");
        return ReadName(ref request);
    }

    /// <summary>The NUL-terminated interface name in an <c>ifreq</c> the kernel filled in.</summary>
    private static unsafe string ReadName(ref IfReq request)
    {
        int length = 0;
        while (length < LinuxIf.IFNAMSIZ && request.Name[length] != 0)
        {
            length++;
        }

        fixed (byte* name = request.Name)
        {
            return Encoding.UTF8.GetString(name, length);
        }
    }

    private static unsafe void WriteName(ref IfReq request, string name)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(name);
        for (int i = 0; i < bytes.Length && i < LinuxIf.IFNAMSIZ - 1; i++)
        {
            request.Name[i] = bytes[i];
        }
    }

    private static unsafe TunOffloads SetOffloads(SafeFileDescriptorHandle fd, string name, TunOffloads requested, ILogger logger)
    {
        if (requested == TunOffloads.None)
        {
            return TunOffloads.None;
        }

        // Kernels without USO (before 6.2) or UFO (removed in 4.14, re-accepted later only as a no-op) answer EINVAL
        // to the whole request: retry without them, then without offloads at all, and log what was dropped.
        TunOffloads[] attempts =
        [
            requested,
            requested & ~(TunOffloads.Uso4 | TunOffloads.Uso6 | TunOffloads.Ufo),
            TunOffloads.None,
        ];
        string lastError = string.Empty;
        foreach (TunOffloads attempt in attempts)
        {
            bool added = false;
            try
            {
                fd.AddRef(ref added);
                if (Interop.Libc.Ioctl(fd.DangerousGetFd(), LinuxIfTun.TUNSETOFFLOAD, (nint)(uint)attempt) == 0)
                {
                    if (attempt != requested)
                    {
                        TunLog.OffloadsRejected(logger, name, requested, lastError, attempt);
                    }

                    return attempt;
                }

                lastError = ErrnoNames.GetName((Errno)Interop.GetLastErrno());
            }
            finally
            {
                if (added)
                {
                    fd.DangerousRelease();
                }
            }
        }

        TunLog.OffloadsRejected(logger, name, requested, lastError, TunOffloads.None);
        return TunOffloads.None;
    }

    private static unsafe void Ioctl(SafeFileDescriptorHandle fd, nuint request, void* argument, string operation)
    {
        bool added = false;
        try
        {
            fd.AddRef(ref added);
            Interop.CheckIo(Interop.Libc.Ioctl(fd.DangerousGetFd(), request, argument), operation, "CAP_NET_ADMIN");
        }
        finally
        {
            if (added)
            {
                fd.DangerousRelease();
            }
        }
    }

    private static int IoctlValue(SafeFileDescriptorHandle fd, nuint request, int value, string operation)
    {
        bool added = false;
        try
        {
            fd.AddRef(ref added);
            return Interop.CheckIo(Interop.Libc.Ioctl(fd.DangerousGetFd(), request, (nint)value), operation, "CAP_NET_ADMIN");
        }
        finally
        {
            if (added)
            {
                fd.DangerousRelease();
            }
        }
    }

    private int IoctlValue(nuint request, int value, string operation)
    {
        ThrowIfDisposed();
        return IoctlValue(_queues[0].Handle, request, value, operation);
    }

    private unsafe void IoctlPointer(nuint request, void* argument, string operation)
    {
        ThrowIfDisposed();
        Ioctl(_queues[0].Handle, request, argument, operation);
    }

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            throw new ObjectDisposedException(nameof(TunDevice));
        }
    }
}
