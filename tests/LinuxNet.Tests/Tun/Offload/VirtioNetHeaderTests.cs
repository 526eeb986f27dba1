using LinuxNet.Tun.Offload;

namespace LinuxNet.Tests.Tun.Offload;

public class VirtioNetHeaderTests
{
    private static VirtioNetHeader Sample => new()
    {
        Flags = VirtioNetHeaderFlags.NeedsChecksum,
        GsoType = VirtioNetGsoType.TcpV4 | VirtioNetGsoType.Ecn,
        HeaderLength = 0x0134,
        GsoSize = 0x05A8,
        ChecksumStart = 0x0014,
        ChecksumOffset = 0x0010,
        NumBuffers = 0x0203,
    };

    [Test]
    public void Write_DefaultSize_IsLittleEndianVirtioNetHdr()
    {
        byte[] buffer = new byte[16];
        buffer.AsSpan().Fill(0xEE);

        int written = Sample.Write(buffer);

        Assert.Multiple(() =>
        {
            Assert.That(written, Is.EqualTo(10));
            // flags, gso_type, hdr_len, gso_size, csum_start, csum_offset (struct virtio_net_hdr, little-endian)
            Assert.That(buffer[..10], Is.EqualTo(new byte[] { 0x01, 0x81, 0x34, 0x01, 0xA8, 0x05, 0x14, 0x00, 0x10, 0x00 }));
            Assert.That(buffer[10..], Is.All.EqualTo(0xEE), "bytes after the 10-byte header are untouched");
        });
    }

    [Test]
    public void Write_BigEndian_SwapsSixteenBitFields()
    {
        byte[] buffer = new byte[12];

        Sample.Write(buffer, VirtioNetHeader.SizeWithNumBuffers, bigEndian: true);

        Assert.That(buffer, Is.EqualTo(new byte[] { 0x01, 0x81, 0x01, 0x34, 0x05, 0xA8, 0x00, 0x14, 0x00, 0x10, 0x02, 0x03 }));
    }

    [TestCase(10, false)]
    [TestCase(12, false)]
    [TestCase(12, true)]
    [TestCase(20, false)]
    public void Read_WhatWriteWrote_RoundTrips(int headerSize, bool bigEndian)
    {
        byte[] buffer = new byte[headerSize];
        buffer.AsSpan().Fill(0xEE);

        Sample.Write(buffer, headerSize, bigEndian);
        VirtioNetHeader read = VirtioNetHeader.Read(buffer, headerSize, bigEndian);

        VirtioNetHeader expected = Sample;
        if (headerSize < VirtioNetHeader.SizeWithNumBuffers)
        {
            expected.NumBuffers = 0;
        }

        Assert.Multiple(() =>
        {
            Assert.That(read, Is.EqualTo(expected));
            Assert.That(read.GsoProtocol, Is.EqualTo(VirtioNetGsoType.TcpV4));
            Assert.That(read.IsEcn, Is.True);
            Assert.That(buffer.AsSpan(Math.Min(headerSize, 12)).ToArray(), Is.All.EqualTo(0), "padding beyond 12 bytes is zeroed");
        });
    }

    [Test]
    public void Read_Size10_IgnoresFollowingBytesAsNumBuffers()
    {
        byte[] buffer = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x45, 0x00];

        Assert.That(VirtioNetHeader.Read(buffer).NumBuffers, Is.EqualTo(0));
    }

    [Test]
    public void Read_ShortSource_ThrowsArgumentException()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => VirtioNetHeader.Read(new byte[9]), Throws.ArgumentException);
            Assert.That(() => VirtioNetHeader.Read(new byte[11], 12), Throws.ArgumentException);
            Assert.That(VirtioNetHeader.TryRead(new byte[9], out _), Is.False);
            Assert.That(VirtioNetHeader.TryRead(new byte[10], out _), Is.True);
        });
    }

    [Test]
    public void Write_HeaderSizeBelowTen_ThrowsArgumentOutOfRange()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => Sample.Write(new byte[12], 8), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => VirtioNetHeader.Read(new byte[12], 9), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => Sample.Write(new byte[11], 12), Throws.ArgumentException);
        });
    }

    [Test]
    public unsafe void SizeOf_Struct_IsTwelveBytesLikeVirtioNetHdrV1()
    {
        // Seven packed fields in kernel order: on a little-endian host the struct is bit-identical to
        // struct virtio_net_hdr_v1, so MemoryMarshal can view a frame's header in place.
        byte[] buffer = new byte[12];
        Sample.Write(buffer, VirtioNetHeader.SizeWithNumBuffers);

        Assert.Multiple(() =>
        {
            Assert.That(sizeof(VirtioNetHeader), Is.EqualTo(12));
            if (BitConverter.IsLittleEndian)
            {
                Assert.That(System.Runtime.InteropServices.MemoryMarshal.Read<VirtioNetHeader>(buffer), Is.EqualTo(Sample));
            }
        });
    }

    [Test]
    public void Equality_DifferentField_NotEqual()
    {
        VirtioNetHeader other = Sample;
        other.GsoSize++;

        Assert.Multiple(() =>
        {
            Assert.That(other == Sample, Is.False);
            Assert.That(other != Sample, Is.True);
            Assert.That(Sample.Equals((object)Sample), Is.True);
            Assert.That(VirtioNetHeader.None, Is.EqualTo(default(VirtioNetHeader)));
        });
    }
}
