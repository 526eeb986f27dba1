namespace LinuxNet.Tests.Handles;

/// <summary>
/// An <see cref="ObjectDisposedException"/> about a closed descriptor names the public type the user holds
/// (<see cref="SafeFileDescriptorHandle.OwnerName"/>), not the internal SafeFileDescriptorHandle or PollRegistration
/// (issue 12 item 6); and <see cref="DescriptorWaiter"/> ends a blocking wait at once.
/// </summary>
public class OwnerNameTests
{
    private static SafeFileDescriptorHandle CreateEventFd(string? owner)
    {
        int fd = Interop.Libc.EventFd(0, LinuxFcntl.EFD_CLOEXEC | LinuxFcntl.EFD_NONBLOCK);
        Assert.That(fd, Is.GreaterThanOrEqualTo(0), "eventfd");
        return new SafeFileDescriptorHandle(fd) { OwnerName = owner };
    }

    private static unsafe void Signal(SafeFileDescriptorHandle fd)
    {
        ulong one = 1;
        Assert.That((int)Interop.Libc.Write(fd.DangerousGetFd(), &one, sizeof(ulong)), Is.EqualTo(8));
    }

    [Test]
    public void AddRef_AfterDispose_NamesTheOwner()
    {
        SafeFileDescriptorHandle fd = CreateEventFd("TunDevice");
        fd.Dispose();
        bool added = false;
        ObjectDisposedException? e = Assert.Throws<ObjectDisposedException>(() => fd.AddRef(ref added));
        Assert.That(e?.ObjectName, Is.EqualTo("TunDevice"));
    }

    [Test]
    public async Task PollRegistration_WaitAfterDispose_NamesTheDescriptorsOwner()
    {
        using SafeFileDescriptorHandle fd = CreateEventFd("NetlinkSocket");
        PollRegistration registration = FileDescriptorPoller.Shared.Register(fd);
        registration.Dispose();
        ObjectDisposedException? e = Assert.ThrowsAsync<ObjectDisposedException>(async () => await registration.WaitReadableAsync());
        Assert.That(e?.ObjectName, Is.EqualTo("NetlinkSocket"), "not PollRegistration");
        await Task.CompletedTask;
    }

    [Test]
    public void DescriptorWaiter_Readable_ReturnsTrue_Timeout_ReturnsFalse()
    {
        using SafeFileDescriptorHandle fd = CreateEventFd(null);
        using var wait = new DescriptorWaiter("NetlinkSocket");
        Assert.That(wait.WaitReadable(fd, Deadline.After(TimeSpan.FromMilliseconds(50))), Is.False);
        Signal(fd);
        Assert.That(wait.WaitReadable(fd, Deadline.After(TimeSpan.FromSeconds(10))), Is.True);
    }

    [Test]
    public void DescriptorWaiter_ClosedDuringAnInfiniteWait_ThrowsNamingTheOwner()
    {
        using SafeFileDescriptorHandle fd = CreateEventFd(null);
        var wait = new DescriptorWaiter("NetlinkSocket");
        Exception? thrown = null;
        var waiter = new Thread(() =>
        {
            try
            {
                wait.WaitReadable(fd, Deadline.Infinite);
            }
            catch (Exception e)
            {
                thrown = e;
            }
        })
        { IsBackground = true };
        waiter.Start();
        Thread.Sleep(50);
        wait.Dispose();
        Assert.That(waiter.Join(TimeSpan.FromSeconds(10)), Is.True, "Dispose did not wake the wait");
        Assert.That((thrown as ObjectDisposedException)?.ObjectName, Is.EqualTo("NetlinkSocket"));
    }
}
