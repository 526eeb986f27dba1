using LinuxNet.Tun.Offload;

namespace LinuxNet.Tests.Tun.Offload;

public class InternetChecksumTests
{
    [Test]
    public void Sum_Rfc1071Example_IsDdf2()
    {
        // RFC 1071 §3: bytes 00 01 f2 03 f4 f5 f6 f7 sum to 0xddf2 (checksum 0x220d).
        byte[] data = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];

        Assert.Multiple(() =>
        {
            Assert.That(InternetChecksum.Sum(data), Is.EqualTo(0xddf2u));
            Assert.That(InternetChecksum.Compute(data), Is.EqualTo(0x220d));
        });
    }

    [Test]
    public void Compute_KnownIPv4Header_MatchesStoredChecksum()
    {
        // An IPv4 header with its checksum field zeroed; the correct checksum is 0xb861.
        byte[] header = [0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7];

        Assert.That(InternetChecksum.Compute(header), Is.EqualTo(0xb861));

        header[10] = 0xb8;
        header[11] = 0x61;
        Assert.That(InternetChecksum.Compute(header), Is.EqualTo(0), "a header with a correct checksum sums to 0xFFFF");
    }

    [Test]
    public void Sum_AllLengthsUpTo600AndLarge_MatchesScalar(
        [Values(0u, 1u, 0xFFFFu, 0x1234_5678u)] uint initial)
    {
        byte[] data = OffloadPackets.Payload(70_000, 7);
        data.AsSpan(0, 300).Fill(0xFF); // long carry chains
        foreach (int length in Enumerable.Range(0, 601).Concat([1023, 4096, 4097, 65535, 70_000]))
        {
            for (int offset = 0; offset < 3; offset++)
            {
                ReadOnlySpan<byte> slice = data.AsSpan(offset, Math.Min(length, data.Length - offset));
                uint expected = OffloadPackets.ScalarSum(slice, initial);
                uint actual = InternetChecksum.Fold(InternetChecksum.Sum(slice, initial));
                if (actual != expected)
                {
                    Assert.Fail($"length {slice.Length}, offset {offset}, initial {initial:x}: expected {expected:x4}, got {actual:x4}");
                }
            }
        }
    }

    [Test]
    public void CopyAndSum_AllLengths_CopiesExactlyAndMatchesScalar()
    {
        byte[] data = OffloadPackets.Payload(5000, 12);
        byte[] destination = new byte[5002];
        foreach (int length in Enumerable.Range(0, 300).Concat([1447, 1448, 4999]))
        {
            destination.AsSpan().Fill(0xEE);
            uint sum = InternetChecksum.CopyAndSum(data.AsSpan(1, length), destination);
            if (sum != OffloadPackets.ScalarSum(data.AsSpan(1, length)) || !destination.AsSpan(0, length).SequenceEqual(data.AsSpan(1, length)) ||
                destination[length] != 0xEE)
            {
                Assert.Fail($"length {length}");
            }
        }

        Assert.That(() => InternetChecksum.CopyAndSum(new byte[3], new byte[2]), Throws.ArgumentException);
    }

    [Test]
    public void Sum_InEvenPieces_EqualsSumOfWhole()
    {
        byte[] data = OffloadPackets.Payload(1501, 3);

        uint pieces = InternetChecksum.Sum(data.AsSpan(1000), InternetChecksum.Sum(data.AsSpan(20, 980), InternetChecksum.Sum(data.AsSpan(0, 20))));

        Assert.That(pieces, Is.EqualTo(InternetChecksum.Sum(data)));
    }

    [Test]
    public void PseudoHeaderSum_IPv4AndIPv6_MatchesScalar()
    {
        Assert.Multiple(() =>
        {
            Assert.That(InternetChecksum.PseudoHeaderSum(OffloadPackets.SourceV4, OffloadPackets.DestinationV4, 6, 1480),
                Is.EqualTo((uint)OffloadPackets.ScalarPseudo(OffloadPackets.SourceV4, OffloadPackets.DestinationV4, 6, 1480)));
            Assert.That(InternetChecksum.PseudoHeaderSum(OffloadPackets.SourceV6, OffloadPackets.DestinationV6, 17, 65527),
                Is.EqualTo((uint)OffloadPackets.ScalarPseudo(OffloadPackets.SourceV6, OffloadPackets.DestinationV6, 17, 65527)));
            Assert.That(InternetChecksum.PseudoHeaderSum(OffloadPackets.SourceV6, OffloadPackets.DestinationV6, 6, 100_000),
                Is.EqualTo((uint)OffloadPackets.ScalarPseudo(OffloadPackets.SourceV6, OffloadPackets.DestinationV6, 6, 100_000)),
                "IPv6 carries a 32-bit length");
        });
    }

    [Test]
    public void PseudoHeaderSum_MismatchedAddressLengths_ThrowsArgumentException()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => InternetChecksum.PseudoHeaderSum(new byte[4], new byte[16], 6, 20), Throws.ArgumentException);
            Assert.That(() => InternetChecksum.PseudoHeaderSum(new byte[5], new byte[5], 6, 20), Throws.ArgumentException);
        });
    }

    [Test]
    public void Add_TwoPartialSums_EqualsSumOfConcatenation()
    {
        byte[] data = OffloadPackets.Payload(1000, 8);

        uint added = InternetChecksum.Add(InternetChecksum.Sum(data.AsSpan(0, 400)), InternetChecksum.Sum(data.AsSpan(400)));

        Assert.That(added, Is.EqualTo(InternetChecksum.Sum(data)));
    }

    [TestCase(0x0000_0000u, (ushort)0x0000)]
    [TestCase(0x0001_FFFFu, (ushort)0x0001)]
    [TestCase(0xFFFF_FFFFu, (ushort)0xFFFF)]
    [TestCase(0x1234_5678u, (ushort)0x68AC)]
    public void Fold_CarriesEndAround(uint sum, ushort expected)
    {
        Assert.Multiple(() =>
        {
            Assert.That(InternetChecksum.Fold(sum), Is.EqualTo(expected));
            Assert.That(InternetChecksum.Finish(sum), Is.EqualTo((ushort)~expected));
        });
    }
}
