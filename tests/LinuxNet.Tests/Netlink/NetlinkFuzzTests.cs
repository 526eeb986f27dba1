using System.Buffers.Binary;
using System.Diagnostics;
using LinuxNet.Netlink;
using LinuxNet.Tests.Infrastructure;

namespace LinuxNet.Tests.Netlink;

/// <summary>
/// Mutates real kernel replies (TestData/kernel) up to a million times and walks each result completely: every message,
/// every attribute at every depth (each one is also tried as a nest, since the kernel does not flag its nests), every
/// typed getter that fits plus (for one attribute in eight) one chosen at random, NLMSG_ERROR parsing and offset resolution. Only
/// <see cref="NetlinkProtocolException"/> may escape; anything else — IndexOutOfRange, ArgumentOutOfRange, a walk that
/// does not advance — fails the test with the seed, the iteration and the input.
/// </summary>
public class NetlinkFuzzTests
{
    private const int Seed = 0x4e4c4655; // "NLFU"
    private const int MaxIterations = 1_000_000;
    private const int MinIterations = 50_000;
    private static readonly TimeSpan TimeBudget = TimeSpan.FromSeconds(60);

    private static readonly string[] Captures =
    [
        "link-dump-reply", "addr-dump-reply", "error-vxlan-port-range", "error-vxlan-port-range-capped", "error-netdev-missing-ifindex",
    ];

    [Test]
    public void Walk_MutatedKernelReplies_OnlyProtocolExceptionEscapes()
    {
        var corpus = new List<byte[]>();
        foreach (string name in Captures)
        {
            IReadOnlyList<byte[]> datagrams = KernelReplies.Datagrams(name);
            corpus.AddRange(datagrams);
            corpus.Add(KernelReplies.All(name));
            foreach (byte[] datagram in datagrams)
            {
                corpus.AddRange(Iproute2Capture.Split(datagram));
            }
        }

        // The unmutated corpus must walk without any exception at all.
        foreach (byte[] input in corpus)
        {
            Walker.Walk(input, new Random(0));
        }

        var random = new Random(Seed);
        var stopwatch = Stopwatch.StartNew();
        byte[] scratch = new byte[128 * 1024];
        int iterations = 0;
        int rejected = 0;
        while (iterations < MaxIterations && (iterations % 1024 != 0 || stopwatch.Elapsed < TimeBudget))
        {
            byte[] source = corpus[random.Next(corpus.Count)];
            int length = Mutate(source, scratch, random);
            ReadOnlySpan<byte> input = scratch.AsSpan(0, length);
            iterations++;
            try
            {
                Walker.Walk(input, random);
            }
            catch (NetlinkProtocolException)
            {
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"seed {Seed}, iteration {iterations}: {e.GetType().Name} escaped: {e}\ninput ({length} bytes):\n{Iproute2Capture.Hex(input)}");
            }
        }

        TestContext.Out.WriteLine($"{iterations} mutated inputs in {stopwatch.Elapsed.TotalSeconds:F1} s, {rejected} rejected with NetlinkProtocolException");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(iterations, Is.GreaterThanOrEqualTo(MinIterations), "too few iterations ran in the time budget");
            Assert.That(rejected, Is.GreaterThan(iterations / 20), "the mutations hardly ever produce malformed input: the fuzzer is too weak");
            Assert.That(rejected, Is.LessThan(iterations), "every input was rejected: the walker or mutator is broken");
        }
    }

    private static readonly int[] InterestingLengths = [0, 1, 2, 3, 4, 5, 7, 8, 12, 15, 16, 17, 19, 20, 0x7fff, 0x8000, 0xfffc, 0xffff];

    private static int Mutate(byte[] source, byte[] destination, Random random)
    {
        int length = source.Length;
        source.CopyTo(destination, 0);
        int edits = 1 + random.Next(4);
        for (int e = 0; e < edits; e++)
        {
            switch (random.Next(7))
            {
                case 0: // flip random bits
                    if (length > 0)
                    {
                        destination[random.Next(length)] ^= (byte)(1 << random.Next(8));
                    }

                    break;
                case 1: // random byte
                    if (length > 0)
                    {
                        destination[random.Next(length)] = (byte)random.Next(256);
                    }

                    break;
                case 2: // a 16-bit length field (nla_len, or the low half of nlmsg_len) set to an edge value
                case 3:
                    if (length >= 2)
                    {
                        int at = random.Next(length - 1) & ~1;
                        int value = random.Next(3) == 0 ? InterestingLengths[random.Next(InterestingLengths.Length)] : BinaryPrimitives.ReadUInt16LittleEndian(destination.AsSpan(at)) + random.Next(-8, 9);
                        BinaryPrimitives.WriteUInt16LittleEndian(destination.AsSpan(at), (ushort)value);
                    }

                    break;
                case 4: // a 32-bit nlmsg_len at a 4-aligned offset
                    if (length >= 4)
                    {
                        int at = random.Next(length - 3) & ~3;
                        uint value = random.Next(2) == 0 ? (uint)InterestingLengths[random.Next(InterestingLengths.Length)] : (uint)random.Next(int.MinValue, int.MaxValue);
                        BinaryPrimitives.WriteUInt32LittleEndian(destination.AsSpan(at), value);
                    }

                    break;
                case 5: // truncate
                    length = random.Next(length + 1);
                    break;
                default: // extend with random bytes or a copy of an earlier chunk
                    int extra = Math.Min(random.Next(1, 64), destination.Length - length);
                    if (random.Next(2) == 0 || length == 0)
                    {
                        random.NextBytes(destination.AsSpan(length, extra));
                    }
                    else
                    {
                        int from = random.Next(length);
                        extra = Math.Min(extra, length - from);
                        destination.AsSpan(from, extra).CopyTo(destination.AsSpan(length));
                    }

                    length += extra;
                    break;
            }
        }

        return length;
    }

    /// <summary>Walks a buffer as the library's consumers would, with a bound on the number of steps.</summary>
    internal static class Walker
    {
        public static void Walk(ReadOnlySpan<byte> buffer, Random random)
        {
            int budget = (buffer.Length / 4 + 2) * (NetlinkAttribute.MaxNestingDepth + 3);
            Span<ushort> path = stackalloc ushort[NetlinkAttribute.MaxNestingDepth + 1];
            foreach (NetlinkMessage message in new NetlinkMessageEnumerator(buffer))
            {
                Step(ref budget);
                _ = message.Header.ToString();
                switch (message.Type)
                {
                    case 2: // NLMSG_ERROR
                        NetlinkErrorMessage error = NetlinkErrorMessage.Parse(message);
                        _ = error.ExtendedAckMessage;
                        if (error.Offset is int offset && message.Payload.Length >= 4 + 16)
                        {
                            ReadOnlySpan<byte> echoed = message.Payload.Slice(4);
                            int depth = NetlinkAttributePath.Resolve(echoed, 16, offset, path);
                            Assert.That(depth, Is.InRange(0, path.Length));
                            NetlinkAttributePath.Resolve(echoed, random.Next(-4, 64), random.Next(-4, echoed.Length + 4), path);
                        }

                        break;
                    case 3: // NLMSG_DONE
                        break;
                    case 20: // RTM_NEWADDR: ifaddrmsg
                        _ = message.ReadHeader<IfAddrMsg>();
                        Attributes(message.GetAttributes<IfAddrMsg>(), random, ref budget);
                        break;
                    default: // RTM_NEWLINK and anything a mutation turned it into: ifinfomsg
                        _ = message.ReadHeader<IfInfoMsg>();
                        Attributes(message.GetAttributes(16), random, ref budget);
                        break;
                }
            }
        }

        private static void Step(ref int budget)
        {
            if (--budget < 0)
            {
                throw new InvalidOperationException("the walk takes more steps than the buffer has attributes: an enumerator does not advance");
            }
        }

        private static void Attributes(NetlinkAttributeEnumerator attributes, Random random, ref int budget)
        {
            foreach (NetlinkAttribute attribute in attributes)
            {
                Step(ref budget);
                Getters(attribute, random);
                ReadOnlySpan<byte> value = attribute.Value;
                if (attribute.IsNested || (value.Length >= 4 && BinaryPrimitives.ReadUInt16LittleEndian(value) is >= 4 and var first && first <= value.Length) || random.Next(16) == 0)
                {
                    // The kernel does not flag most nests (IFLA_AF_SPEC, IFLA_LINKINFO...): try every value as one.
                    try
                    {
                        Attributes(attribute.EnumerateNested(), random, ref budget);
                    }
                    catch (NetlinkProtocolException) when (!attribute.IsNested)
                    {
                        // Not a nest after all: expected for plain values.
                    }
                }
            }
        }

        private static void Getters(NetlinkAttribute a, Random random)
        {
            ReadOnlySpan<byte> value = a.Value;
            _ = a.Type + (a.IsNested ? 1 : 0) + (a.IsNetworkByteOrder ? 1 : 0);
            switch (value.Length)
            {
                case 1:
                    _ = a.GetUInt8();
                    break;
                case 2:
                    _ = a.GetUInt16() + a.GetUInt16BigEndian();
                    break;
                case 4:
                    _ = a.GetUInt32() + a.GetUInt32BigEndian() + (uint)a.GetInt32();
                    _ = a.GetIPAddress();
                    break;
                case 8:
                    _ = a.GetUInt64();
                    break;
                case 16:
                    _ = a.GetIPAddress();
                    break;
            }

            _ = a.GetPhysicalAddress();
            if (value.Length >= 16)
            {
                _ = a.GetStruct<IfInfoMsg>();
            }

            if (value.IndexOf((byte)0) >= 0)
            {
                _ = a.GetStringBytes().Length + a.GetString().Length;
            }

            // For one attribute in eight, a getter at random, whatever the length: it must succeed or throw
            // NetlinkProtocolException. (Most such calls throw; doing it for every attribute made the exceptions, not
            // the parsing, the cost of the test, and the million inputs no longer fit the time budget.)
            if (random.Next(8) != 0)
            {
                return;
            }

            try
            {
                switch (random.Next(10))
                {
                    case 0: _ = a.GetUInt8(); break;
                    case 1: _ = a.GetUInt16(); break;
                    case 2: _ = a.GetUInt32(); break;
                    case 3: _ = a.GetUInt64(); break;
                    case 4: _ = a.GetInt32(); break;
                    case 5: _ = a.GetUInt32BigEndian(); break;
                    case 6: _ = a.GetIPAddress(); break;
                    case 7: _ = a.GetString(); break;
                    case 8: _ = a.GetStruct<IfInfoMsg>(); break;
                    default: _ = a.GetUInt16BigEndian(); break;
                }
            }
            catch (NetlinkProtocolException)
            {
            }
        }
    }
}
