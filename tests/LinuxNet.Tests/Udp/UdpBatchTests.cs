using System.Net;
using LinuxNet.Udp;

namespace LinuxNet.Tests.Udp;

public class UdpBatchTests
{
    [Test]
    public void Add_Entries_KeepLengthSegmentSizeAndAddress()
    {
        using var batch = new UdpBatch(4, 2000);
        var v4 = new IPEndPoint(IPAddress.Parse("198.51.100.7"), 4500);
        var v6 = new IPEndPoint(IPAddress.Parse("2001:db8::7"), 51820);
        int first = batch.Add(new byte[1500], v4, segmentSize: 400);
        int second = batch.Add([1, 2, 3], v6);
        int third = batch.Add([9]);

        byte[] address = new byte[16];
        Assert.Multiple(() =>
        {
            Assert.That((first, second, third, batch.Count), Is.EqualTo((0, 1, 2, 3)));
            Assert.That(batch.GetLength(0), Is.EqualTo(1500));
            Assert.That(batch.GetSegmentSize(0), Is.EqualTo(400));
            Assert.That(batch.GetSegmentCount(0), Is.EqualTo(4), "400 + 400 + 400 + 300");
            Assert.That(batch.GetSegmentCount(1), Is.EqualTo(1));
            Assert.That(batch.GetDatagram(1).ToArray(), Is.EqualTo(new byte[] { 1, 2, 3 }));
            Assert.That(batch.GetRemoteEndPoint(0), Is.EqualTo(new IPEndPoint(IPAddress.Parse("198.51.100.7").MapToIPv6(), 4500)), "stored v4-mapped until an IPv4 socket sends it");
            Assert.That(batch.GetRemoteEndPoint(1), Is.EqualTo(v6));
            Assert.That(batch.GetRemotePort(1), Is.EqualTo(51820));
            Assert.That(batch.GetRemoteEndPoint(2), Is.Null);
            Assert.That(batch.GetRemotePort(2), Is.Zero);
            Assert.That(batch.TryGetRemoteAddress(2, address, out _), Is.False);
        });
        Assert.That(batch.TryGetRemoteAddress(1, address, out int written), Is.True);
        Assert.That(address[..written], Is.EqualTo(IPAddress.Parse("2001:db8::7").GetAddressBytes()));
    }

    [Test]
    public void BadInput_ThrowsArgumentExceptions()
    {
        using var batch = new UdpBatch(1, 100);
        Assert.Multiple(() =>
        {
            Assert.That(() => new UdpBatch(0), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => new UdpBatch(1025), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => new UdpBatch(1, 0), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => new UdpBatch(1, 65536), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => batch.SetSegmentSize(0, UdpBatch.MaxSegmentSize + 1), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => batch.SetSegmentSize(0, -1), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => batch.SetLength(0, 101), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => batch.Count = 2, Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => batch.GetBuffer(1), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => batch.Add(new byte[101]), Throws.ArgumentException);
        });
        batch.Add(new byte[10]);
        Assert.That(() => batch.Add(new byte[10]), Throws.InvalidOperationException.With.Message.Contains("full"));
        Assert.That(() => batch.SetSegmentSize(0, UdpBatch.MaxSegmentSize), Throws.Nothing);
    }

    [Test]
    public void Dispose_ThenUse_ThrowsObjectDisposed()
    {
        var batch = new UdpBatch(2);
        batch.Dispose();
        batch.Dispose();
        Assert.That(() => batch.GetBuffer(0), Throws.InstanceOf<ObjectDisposedException>().With.Message.Contains(nameof(UdpBatch)));
    }

    [TestCase("203.0.113.9")]
    [TestCase("2001:db8::9")]
    public void SteadyState_FillAndRead_AllocatesNothing(string peerAddress)
    {
        using var batch = new UdpBatch(8, 1500);
        var peer = new IPEndPoint(IPAddress.Parse(peerAddress), 9);
        byte[] payload = new byte[1400];
        Span<byte> address = stackalloc byte[16];
        void Round(Span<byte> scratch)
        {
            batch.Clear();
            for (int i = 0; i < 8; i++)
            {
                batch.Add(payload, peer, 700);
                _ = batch.GetRemotePort(i) + batch.GetSegmentCount(i);
                _ = batch.TryGetRemoteAddress(i, scratch, out _);
            }
        }

        Round(address);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int r = 0; r < 100; r++)
        {
            Round(address);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }
}
