using System.Buffers.Binary;
using LinuxNet.Netlink;

namespace LinuxNet.Tests.Netlink;

public class NetlinkMessageEnumeratorTests
{
    private static byte[] Message(uint length, ushort type, int bufferLength)
    {
        byte[] buffer = new byte[bufferLength];
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, length);
        BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(4), type);
        return buffer;
    }

    /// <summary>Counts the messages until the end or an exception; returns the count and the exception type.</summary>
    private static (int Count, Type? Error) Walk(ReadOnlySpan<byte> buffer)
    {
        int count = 0;
        var enumerator = new NetlinkMessageEnumerator(buffer);
        try
        {
            while (enumerator.MoveNext())
            {
                count++;
                Assert.That(count, Is.LessThan(100_000), "the enumerator does not advance");
            }
        }
        catch (Exception e)
        {
            Assert.That(enumerator.MoveNext(), Is.False, "after an error the enumerator must be at its end");
            return (count, e.GetType());
        }

        return (count, null);
    }

    [Test]
    public void MoveNext_Empty_ReturnsFalse()
        => Assert.That(Walk(ReadOnlySpan<byte>.Empty), Is.EqualTo((0, (Type?)null)));

    [TestCase(0u)]
    [TestCase(1u)]
    [TestCase(15u)]
    public void MoveNext_LengthBelowHeader_ThrowsProtocolException(uint length)
        => Assert.That(Walk(Message(length, 16, 64)), Is.EqualTo((0, (Type?)typeof(NetlinkProtocolException))));

    [TestCase(65u)]
    [TestCase(0x7fffffffu)]
    [TestCase(uint.MaxValue)]
    public void MoveNext_LengthPastEnd_ThrowsProtocolException(uint length)
        => Assert.That(Walk(Message(length, 16, 64)), Is.EqualTo((0, (Type?)typeof(NetlinkProtocolException))));

    [TestCase(1)]
    [TestCase(4)]
    [TestCase(15)]
    public void MoveNext_TruncatedHeader_ThrowsProtocolException(int length)
        => Assert.That(Walk(new byte[length]), Is.EqualTo((0, (Type?)typeof(NetlinkProtocolException))));

    [Test]
    public void MoveNext_TruncatedHeaderAfterGoodMessage_YieldsGoodMessageThenThrows()
    {
        byte[] buffer = Message(20, 16, 20 + 8);
        Assert.That(Walk(buffer), Is.EqualTo((1, (Type?)typeof(NetlinkProtocolException))));
    }

    [Test]
    public void MoveNext_UnalignedLastMessage_Accepted()
    {
        byte[] buffer = Message(18, 16, 18);
        var enumerator = new NetlinkMessageEnumerator(buffer);
        Assert.That(enumerator.MoveNext(), Is.True);
        Assert.That(enumerator.Current.Payload.Length, Is.EqualTo(2));
        Assert.That(enumerator.MoveNext(), Is.False);
    }

    [Test]
    public void MoveNext_RealLinkDumpReply_YieldsEveryLinkThenDone()
    {
        var types = new List<ushort>();
        var names = new List<string>();
        foreach (byte[] datagram in KernelReplies.Datagrams("link-dump-reply"))
        {
            foreach (NetlinkMessage message in new NetlinkMessageEnumerator(datagram))
            {
                types.Add(message.Type);
                if (message.Type == 16)
                {
                    foreach (NetlinkAttribute attribute in message.GetAttributes(16))
                    {
                        if (attribute.Type == 3)
                        {
                            names.Add(attribute.GetString());
                        }
                    }
                }
            }
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(names, Is.EqualTo(new[] { "lo", "v1", "v0", "v3", "v2" }));
            Assert.That(types[^1], Is.EqualTo(3), "NLMSG_DONE last");
            Assert.That(types.Count(t => t == 16), Is.EqualTo(5));
        }
    }

    [Test]
    public void ReadHeader_PayloadShorterThanStruct_ThrowsProtocolException()
    {
        byte[] buffer = Message(16 + 8, 16, 24);
        var enumerator = new NetlinkMessageEnumerator(buffer);
        Assert.That(enumerator.MoveNext(), Is.True);
        NetlinkMessage message = enumerator.Current;
        Type? error = null;
        try
        {
            message.ReadHeader<IfInfoMsg>();
        }
        catch (Exception e)
        {
            error = e.GetType();
        }

        Assert.That(error, Is.EqualTo(typeof(NetlinkProtocolException)));
    }

    [TestCase(17)]
    [TestCase(-1)]
    public void GetAttributes_FamilyHeaderLongerThanPayloadOrNegative_ThrowsProtocolException(int familyHeaderSize)
    {
        byte[] buffer = Message(16 + 16, 16, 32);
        var enumerator = new NetlinkMessageEnumerator(buffer);
        Assert.That(enumerator.MoveNext(), Is.True);
        NetlinkMessage message = enumerator.Current;
        Type? error = null;
        try
        {
            message.GetAttributes(familyHeaderSize);
        }
        catch (Exception e)
        {
            error = e.GetType();
        }

        Assert.That(error, Is.EqualTo(typeof(NetlinkProtocolException)));
    }

    [Test]
    public void GetAttributes_UnalignedFamilyHeaderFillingPayload_NoAttributes()
    {
        // A 13-byte family header in a 14-byte payload: the aligned start (16) is past the end.
        byte[] buffer = Message(16 + 14, 16, 30);
        var enumerator = new NetlinkMessageEnumerator(buffer);
        Assert.That(enumerator.MoveNext(), Is.True);
        int count = 0;
        foreach (NetlinkAttribute unused in enumerator.Current.GetAttributes(13))
        {
            count++;
        }

        Assert.That(count, Is.Zero);
    }
}
