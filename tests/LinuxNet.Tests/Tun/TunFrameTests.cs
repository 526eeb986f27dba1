using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using LinuxNet.Tun;

namespace LinuxNet.Tests.Tun;

public class TunFrameTests
{
    [Test]
    public void TryReadFrame_TwoWholeFrames_ReturnsBothAndConsumesAll()
    {
        var writer = new ArrayBufferWriter<byte>();
        TunFrame.WriteFrame(writer, [1, 2, 3]);
        TunFrame.WriteFrame(writer, [4]);
        var buffer = new ReadOnlySequence<byte>(writer.WrittenMemory);

        Assert.Multiple(() =>
        {
            Assert.That(TunFrame.TryReadFrame(ref buffer, out ReadOnlySequence<byte> first), Is.True);
            Assert.That(first.ToArray(), Is.EqualTo(new byte[] { 1, 2, 3 }));
            Assert.That(TunFrame.TryReadFrame(ref buffer, out ReadOnlySequence<byte> second), Is.True);
            Assert.That(second.ToArray(), Is.EqualTo(new byte[] { 4 }));
            Assert.That(buffer.Length, Is.Zero);
            Assert.That(TunFrame.TryReadFrame(ref buffer, out _), Is.False);
        });
    }

    [Test]
    public void WriteFrame_Always_WritesLittleEndianLengthPrefix()
    {
        var writer = new ArrayBufferWriter<byte>();
        byte[] frame = new byte[300];
        TunFrame.WriteFrame(writer, frame);
        Assert.Multiple(() =>
        {
            Assert.That(writer.WrittenCount, Is.EqualTo(304));
            Assert.That(writer.WrittenSpan[..4].ToArray(), Is.EqualTo(new byte[] { 0x2C, 0x01, 0, 0 }));
        });
    }

    [TestCase(1)]
    [TestCase(3)]
    [TestCase(4)]
    [TestCase(10)]
    public void TryReadFrame_PartialFrame_ReturnsFalseAndConsumesNothing(int missing)
    {
        var writer = new ArrayBufferWriter<byte>();
        TunFrame.WriteFrame(writer, new byte[10]);
        var buffer = new ReadOnlySequence<byte>(writer.WrittenMemory[..^missing]);
        long before = buffer.Length;
        Assert.Multiple(() =>
        {
            Assert.That(TunFrame.TryReadFrame(ref buffer, out ReadOnlySequence<byte> frame), Is.False);
            Assert.That(frame.Length, Is.Zero);
            Assert.That(buffer.Length, Is.EqualTo(before));
        });
    }

    [Test]
    public void TryReadFrame_EveryPossibleSplit_ReturnsSameFrames()
    {
        var writer = new ArrayBufferWriter<byte>();
        byte[] a = Enumerable.Range(0, 37).Select(i => (byte)i).ToArray();
        byte[] b = Enumerable.Range(100, 5).Select(i => (byte)i).ToArray();
        TunFrame.WriteFrame(writer, a);
        TunFrame.WriteFrame(writer, b);
        byte[] bytes = writer.WrittenSpan.ToArray();

        // Split into three segments at every pair of positions, prefix bytes included.
        for (int i = 0; i <= bytes.Length; i++)
        {
            for (int j = i; j <= bytes.Length; j++)
            {
                ReadOnlySequence<byte> buffer = Segments(bytes[..i], bytes[i..j], bytes[j..]);
                Assert.That(TunFrame.TryReadFrame(ref buffer, out ReadOnlySequence<byte> first), Is.True, $"split {i},{j}");
                Assert.That(first.ToArray(), Is.EqualTo(a), $"split {i},{j}");
                Assert.That(TunFrame.TryReadFrame(ref buffer, out ReadOnlySequence<byte> second), Is.True, $"split {i},{j}");
                Assert.That(second.ToArray(), Is.EqualTo(b), $"split {i},{j}");
                Assert.That(buffer.Length, Is.Zero);
            }
        }
    }

    [TestCase(0u)]
    [TestCase((uint)TunFrame.MaxFrameLength + 1)]
    [TestCase(uint.MaxValue)]
    [TestCase(0x80000000u)]
    public void TryReadFrame_HostileLength_ThrowsInvalidData(uint length)
    {
        byte[] bytes = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, length);
        var buffer = new ReadOnlySequence<byte>(bytes);
        Assert.That(() => TunFrame.TryReadFrame(ref buffer, out _), Throws.TypeOf<InvalidDataException>());
    }

    [Test]
    public void TryReadFrame_MaxLengthPrefixButShortBuffer_ReturnsFalse()
    {
        byte[] bytes = new byte[100];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, TunFrame.MaxFrameLength);
        var buffer = new ReadOnlySequence<byte>(bytes);
        Assert.That(TunFrame.TryReadFrame(ref buffer, out _), Is.False);
    }

    [Test]
    public void TryReadFrame_RandomGarbage_ThrowsOnlyInvalidData()
    {
        var random = new Random(1234);
        for (int round = 0; round < 2000; round++)
        {
            byte[] bytes = new byte[random.Next(0, 64)];
            random.NextBytes(bytes);
            var buffer = new ReadOnlySequence<byte>(bytes);
            try
            {
                while (TunFrame.TryReadFrame(ref buffer, out ReadOnlySequence<byte> frame))
                {
                    Assert.That(frame.Length, Is.InRange(1, TunFrame.MaxFrameLength));
                }
            }
            catch (InvalidDataException)
            {
            }
        }
    }

    [TestCase(0)]
    [TestCase(TunFrame.MaxFrameLength + 1)]
    public void WriteFrame_BadLength_ThrowsArgumentException(int length)
    {
        var writer = new ArrayBufferWriter<byte>();
        Assert.That(() => TunFrame.WriteFrame(writer, new byte[length]), Throws.ArgumentException);
        Assert.That(writer.WrittenCount, Is.Zero);
    }

    [Test]
    public async Task WriteFrame_ThroughPipe_RoundTripsFrames()
    {
        // No reader runs while the frames are written, so back-pressure must be off or FlushAsync would wait forever.
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0, minimumSegmentSize: 16));
        var random = new Random(7);
        var frames = new List<byte[]>();
        for (int i = 0; i < 200; i++)
        {
            byte[] frame = new byte[random.Next(1, 3000)];
            random.NextBytes(frame);
            frames.Add(frame);
            TunFrame.WriteFrame(pipe.Writer, frame);
            if (i % 7 == 0)
            {
                await pipe.Writer.FlushAsync();
            }
        }

        await pipe.Writer.CompleteAsync();
        var received = new List<byte[]>();
        while (true)
        {
            ReadResult result = await pipe.Reader.ReadAsync();
            ReadOnlySequence<byte> buffer = result.Buffer;
            while (TunFrame.TryReadFrame(ref buffer, out ReadOnlySequence<byte> frame))
            {
                received.Add(frame.ToArray());
            }

            pipe.Reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }

        Assert.That(received, Is.EqualTo(frames));
    }

    private static ReadOnlySequence<byte> Segments(params byte[][] parts)
    {
        var first = new Segment(parts[0], 0);
        Segment last = first;
        for (int i = 1; i < parts.Length; i++)
        {
            last = last.Append(parts[i]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
