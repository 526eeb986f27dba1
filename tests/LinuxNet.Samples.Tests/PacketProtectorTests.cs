using System.Security.Cryptography;
using LinuxNet.Samples.TunVpn;

namespace LinuxNet.Samples.Tests;

public class PacketProtectorTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    [Test]
    public void Open_SealedByOppositeRole_ReturnsPacket()
    {
        using var a = new PacketProtector(Key, isInitiator: true);
        using var b = new PacketProtector(Key, isInitiator: false);
        byte[] packet = RandomNumberGenerator.GetBytes(1400);
        byte[] datagram = new byte[packet.Length + PacketProtector.Overhead];
        byte[] opened = new byte[2000];
        int length = a.Seal(packet, datagram);
        Assert.That(b.Open(datagram.AsSpan(0, length), opened), Is.EqualTo(packet.Length));
        Assert.That(opened.AsSpan(0, packet.Length).ToArray(), Is.EqualTo(packet));
    }

    [Test]
    public void Open_SameRole_Rejected()
    {
        using var a = new PacketProtector(Key, isInitiator: true);
        using var alsoA = new PacketProtector(Key, isInitiator: true);
        byte[] datagram = new byte[100 + PacketProtector.Overhead];
        int length = a.Seal(new byte[100], datagram);
        Assert.That(alsoA.Open(datagram.AsSpan(0, length), new byte[200]), Is.EqualTo(-1));
        Assert.That(alsoA.Rejected, Is.EqualTo(1));
    }

    [TestCase(0)]
    [TestCase(5)]
    [TestCase(12)]
    [TestCase(60)]
    public void Open_AnyByteFlipped_Rejected(int index)
    {
        using var a = new PacketProtector(Key, isInitiator: true);
        using var b = new PacketProtector(Key, isInitiator: false);
        byte[] datagram = new byte[50 + PacketProtector.Overhead];
        int length = a.Seal(new byte[50], datagram);
        datagram[index] ^= 1;
        Assert.That(b.Open(datagram.AsSpan(0, length), new byte[100]), Is.EqualTo(-1));
        Assert.That(b.Rejected, Is.EqualTo(1));
    }

    [Test]
    public void Open_Replayed_RejectedOnce()
    {
        using var a = new PacketProtector(Key, isInitiator: true, firstCounter: 1UL << 40);
        using var b = new PacketProtector(Key, isInitiator: false);
        byte[] datagram = new byte[64 + PacketProtector.Overhead];
        byte[] plain = new byte[64];
        for (int i = 0; i < 100; i++)
        {
            int l = a.Seal(new byte[64], datagram);
            Assert.That(b.Open(datagram.AsSpan(0, l), plain), Is.EqualTo(64));
        }

        int length = a.Seal(new byte[64], datagram);
        Assert.That(b.Open(datagram.AsSpan(0, length), plain), Is.EqualTo(64));
        Assert.That(b.Open(datagram.AsSpan(0, length), plain), Is.EqualTo(-1));
        Assert.That(b.Replayed, Is.EqualTo(1));
    }
}

public class ReplayWindowTests
{
    [Test]
    public void TryAccept_InOrderOutOfOrderAndDuplicates_AcceptsEachOnce()
    {
        var window = new ReplayWindow();
        Assert.Multiple(() =>
        {
            Assert.That(window.TryAccept(10), Is.True);
            Assert.That(window.TryAccept(10), Is.False);
            Assert.That(window.TryAccept(12), Is.True);
            Assert.That(window.TryAccept(11), Is.True, "late but inside the window");
            Assert.That(window.TryAccept(11), Is.False);
            Assert.That(window.TryAccept(1UL << 40), Is.True, "a jump far ahead");
            Assert.That(window.TryAccept(1UL << 40), Is.False);
            Assert.That(window.TryAccept(12), Is.False, "far behind the window now");
            Assert.That(window.TryAccept((1UL << 40) - 5), Is.True, "inside the window after the jump");
        });
    }

    [Test]
    public void TryAccept_SlidingAcrossManyWords_ForgetsOnlyWhatLeftTheWindow()
    {
        var window = new ReplayWindow();
        for (ulong i = 0; i < 100_000; i += 3)
        {
            Assert.That(window.TryAccept(i), Is.True);
        }

        Assert.That(window.TryAccept(99_999 - 1), Is.True, "never seen, inside the window");
        Assert.That(window.TryAccept(99_999), Is.False, "seen");
        Assert.That(window.TryAccept(99_999 - (ulong)ReplayWindow.WindowSize - 1), Is.False, "too old");
    }
}
