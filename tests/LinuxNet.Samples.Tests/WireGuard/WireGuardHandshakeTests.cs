using System.Buffers.Binary;
using System.Net;
using LinuxNet.Samples.WireGuard.Crypto;
using LinuxNet.Samples.WireGuard.Protocol;

namespace LinuxNet.Samples.Tests.WireGuard;

/// <summary>Message layouts, the Noise_IKpsk2 exchange in memory, sessions, and the cookie (mac1/mac2) path.</summary>
public class WireGuardHandshakeTests
{
    private readonly Identity _initiator = Identity.FromPrivateKey(Curve25519.GeneratePrivateKey());
    private readonly Identity _responder = Identity.FromPrivateKey(Curve25519.GeneratePrivateKey());

    [Test]
    public void Initiation_Layout()
    {
        byte[] message = Initiation(0x11223344, out _);
        Assert.Multiple(() =>
        {
            Assert.That(message, Has.Length.EqualTo(148));
            Assert.That(message[..4], Is.EqualTo(new byte[] { 1, 0, 0, 0 }), "type 1, three reserved zeros");
            Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(message.AsSpan(4)), Is.EqualTo(0x11223344u), "sender index, little-endian");
            Assert.That(message.AsSpan(132, 16).ToArray(), Is.All.EqualTo(0), "mac2 is zero without a cookie");
            Assert.That(message.AsSpan(116, 16).ToArray(), Is.Not.All.EqualTo(0), "mac1 is set");
        });
    }

    [Test]
    public void FullHandshake_KeysMatch_AndSessionsCarryData()
    {
        byte[] psk = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        byte[] initiation = Initiation(1, out HandshakeState state);
        ConsumedInitiation consumed = Noise.ConsumeInitiation(_responder, initiation)!;
        byte[] response = new byte[MessageLayout.ResponseSize];
        TransportKeys responderKeys = Noise.CreateResponse(consumed, psk, 2, response);
        TransportKeys initiatorKeys = Noise.ConsumeResponse(_initiator, state, psk, response)!;

        Assert.Multiple(() =>
        {
            Assert.That(consumed.RemoteStatic, Is.EqualTo(_initiator.PublicKey), "the responder learned who initiated");
            Assert.That(consumed.SenderIndex, Is.EqualTo(1u));
            Assert.That(response[..4], Is.EqualTo(new byte[] { 2, 0, 0, 0 }));
            Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(response.AsSpan(4)), Is.EqualTo(2u), "response: sender");
            Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(response.AsSpan(8)), Is.EqualTo(1u), "response: receiver = the initiation's sender");
            Assert.That(initiatorKeys, Is.Not.Null);
            Assert.That(initiatorKeys.SendKey, Is.EqualTo(responderKeys.ReceiveKey));
            Assert.That(initiatorKeys.ReceiveKey, Is.EqualTo(responderKeys.SendKey));
            Assert.That(initiatorKeys.SendKey, Is.Not.EqualTo(initiatorKeys.ReceiveKey));
            Assert.That(initiatorKeys.RemoteIndex, Is.EqualTo(2u));
        });

        using var sender = new Session(initiatorKeys, 0, ulong.MaxValue);
        using var receiver = new Session(responderKeys, 0, ulong.MaxValue);
        byte[] datagram = new byte[16 + 48 + 16];
        byte[] packet = Enumerable.Range(0, 40).Select(i => (byte)i).ToArray();
        packet.CopyTo(datagram, 16);
        int length = sender.Seal(datagram, 40, 48);
        byte[] copy = datagram.AsSpan(0, length).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(length, Is.EqualTo(16 + 48 + 16), "header, padded payload, tag");
            Assert.That(datagram[..4], Is.EqualTo(new byte[] { 4, 0, 0, 0 }));
            Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(datagram.AsSpan(4)), Is.EqualTo(2u), "receiver = the index the responder sent");
            Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(datagram.AsSpan(8)), Is.Zero, "first counter");
            Assert.That(receiver.Open(datagram.AsSpan(0, length)), Is.EqualTo(48));
            Assert.That(datagram.AsSpan(16, 40).ToArray(), Is.EqualTo(packet), "decrypted in place");
            Assert.That(datagram.AsSpan(56, 8).ToArray(), Is.All.EqualTo(0), "zero padding");
            Assert.That(receiver.Open(copy), Is.EqualTo(-2), "the same message again is a replay");
        });
        copy[20] ^= 1;
        Assert.That(receiver.Open(copy), Is.EqualTo(-1), "a flipped byte does not authenticate");
    }

    [Test]
    public void Session_SealAndOpen_AllocateNothing()
    {
        (Session sender, Session receiver) = Sessions();
        byte[] datagram = new byte[16 + 1424 + 16];
        for (int i = 0; i < 100; i++)
        {
            receiver.Open(datagram.AsSpan(0, sender.Seal(datagram, 1400, 1408)));
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            receiver.Open(datagram.AsSpan(0, sender.Seal(datagram, 1400, 1408)));
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
        sender.Dispose();
        receiver.Dispose();
    }

    [Test]
    public void Session_StopsAtRejectAfterMessages()
    {
        (Session sender, _) = Sessions(rejectAfter: 2);
        byte[] datagram = new byte[64];
        Assert.Multiple(() =>
        {
            Assert.That(sender.Seal(datagram, 0, 0), Is.EqualTo(32), "a keepalive: header and tag");
            Assert.That(sender.Seal(datagram, 0, 0), Is.EqualTo(32));
            Assert.That(sender.Seal(datagram, 0, 0), Is.Zero, "counter 2 is past the limit");
        });
    }

    [Test]
    public void WrongPresharedKey_ResponseDoesNotDecrypt()
    {
        byte[] initiation = Initiation(1, out HandshakeState state);
        ConsumedInitiation consumed = Noise.ConsumeInitiation(_responder, initiation)!;
        byte[] response = new byte[MessageLayout.ResponseSize];
        Noise.CreateResponse(consumed, new byte[32], 2, response);
        Assert.That(Noise.ConsumeResponse(_initiator, state, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), response), Is.Null);
    }

    [Test]
    public void InitiationToAnotherKey_OrTampered_DoesNotDecrypt()
    {
        byte[] initiation = Initiation(1, out _);
        Identity stranger = Identity.FromPrivateKey(Curve25519.GeneratePrivateKey());
        byte[] tampered = (byte[])initiation.Clone();
        tampered[60] ^= 1;
        Assert.Multiple(() =>
        {
            Assert.That(Noise.ConsumeInitiation(stranger, initiation), Is.Null);
            Assert.That(Noise.ConsumeInitiation(_responder, tampered), Is.Null);
            Assert.That(Noise.ConsumeInitiation(_responder, initiation.AsSpan(0, 147)), Is.Null, "wrong size");
        });
    }

    [Test]
    public void CookiePath_Mac1ThenCookieReplyThenMac2()
    {
        var checker = new CookieChecker(_responder, TimeProvider.System, TimeSpan.FromMinutes(2));
        var generator = new CookieGenerator(_responder, TimeProvider.System, TimeSpan.FromMinutes(2));
        var source = new IPEndPoint(IPAddress.Parse("203.0.113.1"), 51820);
        byte[] first = Initiation(1, out _);
        Assert.That(checker.Check(first, source), Is.EqualTo(MacCheck.Mac1Valid), "mac1 right, no mac2 yet");

        generator.AddMacs(first);
        byte[] reply = new byte[MessageLayout.CookieReplySize];
        checker.CreateReply(first, source, reply);
        Assert.Multiple(() =>
        {
            Assert.That(reply[..4], Is.EqualTo(new byte[] { 3, 0, 0, 0 }));
            Assert.That(CookieGenerator.ReceiverOf(reply), Is.EqualTo(1u), "the reply goes to the initiation's sender index");
            Assert.That(generator.TryConsumeReply(reply), Is.True);
            Assert.That(generator.HasFreshCookie, Is.True);
        });

        byte[] second = Initiation(1, out _);
        generator.AddMacs(second);
        Assert.Multiple(() =>
        {
            Assert.That(checker.Check(second, source), Is.EqualTo(MacCheck.Mac2Valid), "mac2 made with the cookie");
            Assert.That(checker.Check(second, new IPEndPoint(source.Address, 51821)), Is.EqualTo(MacCheck.Mac1Valid), "the cookie is bound to the source address and port");
            Assert.That(generator.TryConsumeReply(reply), Is.False, "a reply answers only the last message sent (its mac1 is the associated data)");
        });

        var other = new CookieChecker(_initiator, TimeProvider.System, TimeSpan.FromMinutes(2));
        Assert.That(other.Check(second, source), Is.EqualTo(MacCheck.Invalid), "mac1 is keyed with the receiver's public key");
    }

    private byte[] Initiation(uint index, out HandshakeState state)
    {
        state = new HandshakeState();
        byte[] message = new byte[MessageLayout.InitiationSize];
        byte[] timestamp = new byte[12];
        Tai64N.Write(DateTimeOffset.UtcNow, timestamp);
        Noise.CreateInitiation(_initiator, _responder, index, timestamp, state, message);
        new CookieGenerator(_responder, TimeProvider.System, TimeSpan.FromMinutes(2)).AddMacs(message);
        return message;
    }

    private (Session Sender, Session Receiver) Sessions(ulong rejectAfter = ulong.MaxValue)
    {
        byte[] a = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        byte[] b = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var sender = new Session(new TransportKeys((byte[])a.Clone(), (byte[])b.Clone(), 1, 2, true), 0, rejectAfter);
        var receiver = new Session(new TransportKeys((byte[])b.Clone(), (byte[])a.Clone(), 2, 1, false), 0, rejectAfter);
        return (sender, receiver);
    }
}
