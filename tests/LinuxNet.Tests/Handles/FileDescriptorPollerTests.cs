namespace LinuxNet.Tests.Handles;

// The poller is exercised with eventfds (no privileges needed): readable once its counter is non-zero,
// writable while the counter can still grow.
public class FileDescriptorPollerTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Test]
    public async Task WaitReadableAsync_DescriptorBecomesReadable_Completes()
    {
        using SafeFileDescriptorHandle fd = CreateEventFd();
        using PollRegistration registration = FileDescriptorPoller.Shared.Register(fd);
        DrainInitialEdge(registration);

        Task wait = registration.WaitReadableAsync().AsTask();
        await Task.Delay(20);
        Assert.That(wait.IsCompleted, Is.False, "nothing to read yet");

        Signal(fd);
        Assert.That(await Task.WhenAny(wait, Task.Delay(Bound)), Is.SameAs(wait));
        await wait;
    }

    [Test]
    public async Task WaitReadableAsync_EdgeBeforeWait_CompletesSynchronously()
    {
        using SafeFileDescriptorHandle fd = CreateEventFd();
        using PollRegistration registration = FileDescriptorPoller.Shared.Register(fd);
        Signal(fd);
        await Task.Delay(50); // let the poller record the edge

        ValueTask wait = registration.WaitReadableAsync();
        Assert.That(wait.IsCompleted, Is.True, "an edge seen before the wait must not be lost");
        await wait;
    }

    [Test]
    public async Task WaitReadableAsync_ManyRounds_NeverLosesAnEdge()
    {
        using SafeFileDescriptorHandle fd = CreateEventFd();
        using PollRegistration registration = FileDescriptorPoller.Shared.Register(fd);
        using var timeout = new CancellationTokenSource(Bound);
        for (int i = 0; i < 2000; i++)
        {
            Task signaller = Task.Run(() => Signal(fd));
            while (!TryDrain(fd))
            {
                await registration.WaitReadableAsync(timeout.Token);
            }

            await signaller;
        }
    }

    [Test]
    public void WaitReadableAsync_Canceled_ThrowsOperationCanceled()
    {
        using SafeFileDescriptorHandle fd = CreateEventFd();
        using PollRegistration registration = FileDescriptorPoller.Shared.Register(fd);
        DrainInitialEdge(registration);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        Assert.That(async () => await registration.WaitReadableAsync(cts.Token), Throws.InstanceOf<OperationCanceledException>());

        // The registration stays usable after a canceled wait.
        Signal(fd);
        Assert.That(async () => await registration.WaitReadableAsync().AsTask().WaitAsync(Bound), Throws.Nothing);
    }

    [Test]
    public async Task Dispose_WhileWaiting_ThrowsObjectDisposed()
    {
        using SafeFileDescriptorHandle fd = CreateEventFd();
        PollRegistration registration = FileDescriptorPoller.Shared.Register(fd);
        DrainInitialEdge(registration);
        Task wait = registration.WaitReadableAsync().AsTask();
        registration.Dispose();
        Assert.That(await Task.WhenAny(wait, Task.Delay(Bound)), Is.SameAs(wait));
        Assert.That(async () => await wait, Throws.TypeOf<ObjectDisposedException>());
        Assert.That(async () => await registration.WaitReadableAsync(), Throws.TypeOf<ObjectDisposedException>());
    }

    [Test]
    public async Task WaitWritableAsync_WritableDescriptor_Completes()
    {
        using SafeFileDescriptorHandle fd = CreateEventFd();
        using PollRegistration registration = FileDescriptorPoller.Shared.Register(fd);
        Task wait = registration.WaitWritableAsync().AsTask();
        Assert.That(await Task.WhenAny(wait, Task.Delay(Bound)), Is.SameAs(wait));
    }

    [Test]
    public async Task PrivatePoller_Dispose_EndsPendingWaits()
    {
        var poller = new FileDescriptorPoller();
        using SafeFileDescriptorHandle fd = CreateEventFd();
        PollRegistration registration = poller.Register(fd);
        DrainInitialEdge(registration);
        Task wait = registration.WaitReadableAsync().AsTask();
        poller.Dispose();
        Assert.That(await Task.WhenAny(wait, Task.Delay(Bound)), Is.SameAs(wait));
        Assert.That(async () => await wait, Throws.TypeOf<ObjectDisposedException>());
    }

    [Test]
    public void EpollEvent_Layout_MatchesArchitecture()
    {
        bool x86 = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture is System.Runtime.InteropServices.Architecture.X64 or System.Runtime.InteropServices.Architecture.X86;
        Assert.That(EpollEvent.Size, Is.EqualTo(x86 ? 12 : 16));
    }

    private static SafeFileDescriptorHandle CreateEventFd()
        => new(Interop.CheckIo(Interop.Libc.EventFd(0, LinuxFcntl.EFD_CLOEXEC | LinuxFcntl.EFD_NONBLOCK), "eventfd()"));

    // Registration reports the current state once (writable, for an eventfd): consume any such read edge.
    private static void DrainInitialEdge(PollRegistration registration)
    {
        Thread.Sleep(20);
        ValueTask wait = registration.WaitReadableAsync(new CancellationToken(canceled: true));
        if (!wait.IsCompletedSuccessfully)
        {
            Assert.That(async () => await wait, Throws.InstanceOf<OperationCanceledException>());
        }
    }

    private static unsafe void Signal(SafeFileDescriptorHandle fd)
    {
        ulong one = 1;
        Assert.That(Interop.Libc.Write(fd.DangerousGetFd(), &one, sizeof(ulong)), Is.EqualTo((nint)8));
    }

    private static unsafe bool TryDrain(SafeFileDescriptorHandle fd)
    {
        ulong value;
        return Interop.Libc.Read(fd.DangerousGetFd(), &value, sizeof(ulong)) == 8;
    }
}
