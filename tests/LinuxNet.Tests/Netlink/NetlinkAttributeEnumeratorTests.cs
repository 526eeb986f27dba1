using System.Buffers.Binary;
using LinuxNet.Netlink;

namespace LinuxNet.Tests.Netlink;

public class NetlinkAttributeEnumeratorTests
{
    private static byte[] Attributes(params (ushort Length, ushort Type, int Bytes)[] attributes)
    {
        var buffer = new List<byte>();
        foreach ((ushort length, ushort type, int bytes) in attributes)
        {
            byte[] a = new byte[bytes];
            BinaryPrimitives.WriteUInt16LittleEndian(a, length);
            BinaryPrimitives.WriteUInt16LittleEndian(a.AsSpan(2), type);
            for (int i = 4; i < bytes; i++)
            {
                a[i] = (byte)i;
            }

            buffer.AddRange(a);
        }

        return buffer.ToArray();
    }

    private static (List<ushort> Types, Type? Error) Walk(ReadOnlySpan<byte> buffer)
    {
        var types = new List<ushort>();
        var enumerator = new NetlinkAttributeEnumerator(buffer);
        try
        {
            while (enumerator.MoveNext())
            {
                types.Add(enumerator.Current.Type);
                Assert.That(types, Has.Count.LessThan(100_000), "the enumerator does not advance");
            }
        }
        catch (Exception e)
        {
            Assert.That(enumerator.MoveNext(), Is.False, "after an error the enumerator must be at its end");
            return (types, e.GetType());
        }

        return (types, null);
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(3)]
    public void MoveNext_LengthBelowFour_ThrowsProtocolException(int length)
    {
        (List<ushort> types, Type? error) = Walk(Attributes((8, 1, 8), ((ushort)length, 2, 8)));
        Assert.That(types, Is.EqualTo(new ushort[] { 1 }));
        Assert.That(error, Is.EqualTo(typeof(NetlinkProtocolException)));
    }

    [TestCase(9)]
    [TestCase(0xffff)]
    public void MoveNext_LengthPastEnd_ThrowsProtocolException(int length)
    {
        (List<ushort> types, Type? error) = Walk(Attributes((8, 1, 8), ((ushort)length, 2, 8)));
        Assert.That(types, Is.EqualTo(new ushort[] { 1 }));
        Assert.That(error, Is.EqualTo(typeof(NetlinkProtocolException)));
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void MoveNext_FewerThanFourTrailingBytes_Skipped(int trailing)
    {
        byte[] buffer = [.. Attributes((8, 1, 8)), .. new byte[trailing]];
        Assert.That(Walk(buffer), Is.EqualTo((new List<ushort> { 1 }, (Type?)null)).Using<(List<ushort>, Type?)>((a, b) => a.Item1.SequenceEqual(b.Item1) && a.Item2 == b.Item2));
    }

    [Test]
    public void MoveNext_UnpaddedLastAttribute_Accepted()
    {
        byte[] buffer = Attributes((8, 1, 8), (5, 2, 5));
        var enumerator = new NetlinkAttributeEnumerator(buffer);
        Assert.That(enumerator.MoveNext(), Is.True);
        Assert.That(enumerator.MoveNext(), Is.True);
        Assert.That(enumerator.Current.Type, Is.EqualTo(2));
        Assert.That(enumerator.Current.GetUInt8(), Is.EqualTo(4));
        Assert.That(enumerator.MoveNext(), Is.False);
    }

    [Test]
    public void EnumerateNested_ChildOverflowsParent_ThrowsProtocolException()
    {
        // Outer nest claims 16 bytes (header + 12) but its child claims 16 bytes of value space.
        byte[] buffer = Attributes((16, 0x8001, 4), (16, 2, 12), (8, 3, 8));
        var outer = new NetlinkAttributeEnumerator(buffer);
        Assert.That(outer.MoveNext(), Is.True);
        Assert.That(outer.Current.Value.Length, Is.EqualTo(12));
        (List<ushort> types, Type? error) = WalkNested(outer.Current);
        Assert.That(types, Is.Empty);
        Assert.That(error, Is.EqualTo(typeof(NetlinkProtocolException)));

        // The parent's walk itself continues correctly after the nest.
        Assert.That(outer.MoveNext(), Is.True);
        Assert.That(outer.Current.Type, Is.EqualTo(3));
    }

    private static (List<ushort> Types, Type? Error) WalkNested(NetlinkAttribute attribute)
    {
        var types = new List<ushort>();
        try
        {
            foreach (NetlinkAttribute child in attribute.EnumerateNested())
            {
                types.Add(child.Type);
            }
        }
        catch (Exception e)
        {
            return (types, e.GetType());
        }

        return (types, null);
    }

    [Test]
    public void EnumerateNested_DeeperThanMaxNestingDepth_ThrowsProtocolException()
    {
        // 16 nests inside one another, built with the writer; the reader must stop at MaxNestingDepth.
        byte[] buffer = new byte[512];
        var writer = new NetlinkMessageWriter(buffer);
        writer.BeginMessage(16, NetlinkMessageFlags.Request);
        var tokens = new NestedAttribute[16];
        for (int i = 0; i < tokens.Length; i++)
        {
            tokens[i] = writer.BeginNested((ushort)(i + 1));
        }

        writer.WriteUInt32(99, 1);
        for (int i = tokens.Length - 1; i >= 0; i--)
        {
            writer.EndNested(tokens[i]);
        }

        writer.EndMessage();
        int deepest = 0;
        Type? error = null;
        var messages = new NetlinkMessageEnumerator(writer.WrittenSpan);
        Assert.That(messages.MoveNext(), Is.True);
        try
        {
            Descend(messages.Current.GetAttributes(0), 0, ref deepest);
        }
        catch (Exception e)
        {
            error = e.GetType();
        }

        Assert.That(error, Is.EqualTo(typeof(NetlinkProtocolException)));
        Assert.That(deepest, Is.EqualTo(NetlinkAttribute.MaxNestingDepth));
    }

    [Test]
    public void EnumerateNested_ExactlyMaxNestingDepth_Accepted()
    {
        byte[] buffer = new byte[512];
        var writer = new NetlinkMessageWriter(buffer);
        writer.BeginMessage(16, NetlinkMessageFlags.Request);
        var tokens = new NestedAttribute[NetlinkAttribute.MaxNestingDepth];
        for (int i = 0; i < tokens.Length; i++)
        {
            tokens[i] = writer.BeginNested((ushort)(i + 1));
        }

        for (int i = tokens.Length - 1; i >= 0; i--)
        {
            writer.EndNested(tokens[i]);
        }

        writer.EndMessage();
        int deepest = 0;
        var messages = new NetlinkMessageEnumerator(writer.WrittenSpan);
        Assert.That(messages.MoveNext(), Is.True);
        Descend(messages.Current.GetAttributes(0), 0, ref deepest);
        Assert.That(deepest, Is.EqualTo(NetlinkAttribute.MaxNestingDepth));
    }

    private static void Descend(NetlinkAttributeEnumerator attributes, int depth, ref int deepest)
    {
        deepest = Math.Max(deepest, depth);
        foreach (NetlinkAttribute attribute in attributes)
        {
            if (attribute.IsNested)
            {
                Descend(attribute.EnumerateNested(), depth + 1, ref deepest);
            }
        }
    }

    [Test]
    public void MoveNext_RealAddressDump_EveryAttributeWalked()
    {
        var addresses = new List<string>();
        foreach (byte[] datagram in KernelReplies.Datagrams("addr-dump-reply"))
        {
            foreach (NetlinkMessage message in new NetlinkMessageEnumerator(datagram))
            {
                if (message.Type != 20)
                {
                    continue;
                }

                foreach (NetlinkAttribute attribute in message.GetAttributes(8))
                {
                    if (attribute.Type == 1 /* IFA_ADDRESS */)
                    {
                        addresses.Add(attribute.GetIPAddress().ToString());
                    }
                }
            }
        }

        Assert.That(addresses, Is.SupersetOf(new[] { "127.0.0.1", "198.51.100.1", "203.0.113.1", "2001:db8::1", "::1" }));
    }
}
