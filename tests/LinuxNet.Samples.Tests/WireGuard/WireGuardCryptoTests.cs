using System.Text;
using LinuxNet.Samples.WireGuard.Crypto;
using LinuxNet.Samples.WireGuard.Protocol;

namespace LinuxNet.Samples.Tests.WireGuard;

/// <summary>The primitives against vectors computed independently (RFC 7748; Python's hashlib/hmac for BLAKE2s).</summary>
public class WireGuardCryptoTests
{
    private static readonly byte[] Key32 = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

    [Test]
    public void Hash_IsBlake2s256() =>
        Assert.That(Convert.ToHexStringLower(HashOf(Encoding.ASCII.GetBytes("abc"))), Is.EqualTo("508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982"));

    [Test]
    public void Mac_IsKeyedBlake2sWith16Bytes()
    {
        byte[] mac = new byte[16];
        Blake2s.Mac(Key32, Encoding.ASCII.GetBytes("message"), mac);
        Assert.That(Convert.ToHexStringLower(mac), Is.EqualTo("2b75eb9c63ca8524ff53d01905b406eb"));
    }

    [Test]
    public void Hmac_IsHmacBlake2s()
    {
        byte[] hmac = new byte[32];
        Blake2s.Hmac(Key32, Encoding.ASCII.GetBytes("input"), hmac);
        Assert.That(Convert.ToHexStringLower(hmac), Is.EqualTo("bbe722d569a4845b94c23b9ae71c3dc04877099c376a541d26f313ca7348fd3a"));
    }

    [Test]
    public void Kdf_ChainsThreeOutputs()
    {
        byte[] t1 = new byte[32], t2 = new byte[32], t3 = new byte[32];
        Kdf.Derive(Key32, Encoding.ASCII.GetBytes("input key material"), t1, t2, t3);
        Assert.Multiple(() =>
        {
            Assert.That(Convert.ToHexStringLower(t1), Is.EqualTo("93e2a65883e34ac95485f5d0aa4b09163a4e944dab8cf9406d3a138e362851c6"));
            Assert.That(Convert.ToHexStringLower(t2), Is.EqualTo("dd6fae42afdb2a41170f44dc5b885ec4cfd17c8dd324d38b390c548630dd0a83"));
            Assert.That(Convert.ToHexStringLower(t3), Is.EqualTo("4125e0adfa9b7e736615e99dde6f3f0b64b949d8b480e82cab2e685dc286e45d"));
        });
    }

    [Test]
    public void Kdf_OutputMayBeTheChainingKey()
    {
        byte[] key = (byte[])Key32.Clone();
        Kdf.Derive(key, Encoding.ASCII.GetBytes("input key material"), key, default, default);
        Assert.That(Convert.ToHexStringLower(key), Is.EqualTo("93e2a65883e34ac95485f5d0aa4b09163a4e944dab8cf9406d3a138e362851c6"));
    }

    [Test]
    public void Kdf_ThirdWithoutSecond_Throws() =>
        Assert.Throws<ArgumentException>(() => Kdf.Derive(Key32, Key32, new byte[32], default, new byte[32]));

    [Test]
    public void Noise_InitialChainingKeyAndHash()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Convert.ToHexStringLower(Noise.InitialChainingKey), Is.EqualTo("60e26daef327efc02ec335e2a025d2d016eb4206f87277f52d38d1988b78cd36"), "Hash(Construction)");
            Assert.That(Convert.ToHexStringLower(Noise.InitialHash), Is.EqualTo("2211b361081ac566691243db458ad5322d9c6c662293e8b70ee19c65ba079ef3"), "Hash(C0 || Identifier)");
        });
    }

    [Test]
    public void X25519_Rfc7748Vector()
    {
        byte[] alice = Convert.FromHexString("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        byte[] bobPublic = Convert.FromHexString("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        byte[] shared = new byte[32];
        Assert.Multiple(() =>
        {
            Assert.That(Convert.ToHexStringLower(Curve25519.GetPublicKey(alice)), Is.EqualTo("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"));
            Assert.That(Curve25519.TrySharedSecret(alice, bobPublic, shared), Is.True);
            Assert.That(Convert.ToHexStringLower(shared), Is.EqualTo("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"));
        });
    }

    [Test]
    public void X25519_LowOrderPoint_IsRefused() =>
        Assert.That(Curve25519.TrySharedSecret(Curve25519.GeneratePrivateKey(), new byte[32], new byte[32]), Is.False);

    [Test]
    public void X25519_WrongKeySize_Throws() =>
        Assert.Throws<ArgumentException>(() => Curve25519.GetPublicKey(new byte[31]));

    [Test]
    public void XAead_RoundTripAndTamper()
    {
        byte[] nonce = new byte[24];
        nonce[3] = 7;
        byte[] sealedBox = new byte[16 + 16];
        XAead.Seal(Key32, nonce, Key32.AsSpan(0, 16), "ad"u8, sealedBox);
        byte[] opened = new byte[16];
        Assert.Multiple(() =>
        {
            Assert.That(XAead.TryOpen(Key32, nonce, sealedBox, "ad"u8, opened), Is.True);
            Assert.That(opened, Is.EqualTo(Key32.AsSpan(0, 16).ToArray()));
            Assert.That(XAead.TryOpen(Key32, nonce, sealedBox, "other"u8, opened), Is.False, "other associated data");
        });
    }

    [Test]
    public void Tai64N_Layout_AndOrder()
    {
        byte[] epoch = new byte[12];
        Tai64N.Write(DateTimeOffset.FromUnixTimeSeconds(0), epoch);
        byte[] later = new byte[12];
        Tai64N.Write(DateTimeOffset.FromUnixTimeSeconds(1).AddMilliseconds(500), later);
        Assert.Multiple(() =>
        {
            Assert.That(Convert.ToHexStringLower(epoch), Is.EqualTo("400000000000000a00000000"), "2^62 + 10 seconds, 0 ns");
            Assert.That(Tai64N.IsAfter(later, epoch), Is.True);
            Assert.That(Tai64N.IsAfter(epoch, later), Is.False);
            Assert.That(Tai64N.IsAfter(epoch, epoch), Is.False, "equal is a replay");
            Assert.That((Tai64N.Read(later) - DateTimeOffset.FromUnixTimeSeconds(1)).TotalMilliseconds, Is.InRange(480, 500), "nanoseconds whitened down by < 16.8 ms");
        });
    }

    private static byte[] HashOf(byte[] input)
    {
        byte[] output = new byte[32];
        Blake2s.Hash(input, output);
        return output;
    }
}
