using System.Buffers.Binary;
using LinuxNet.Netlink;
using LinuxNet.Tests.Infrastructure;

namespace LinuxNet.Tests.Netlink;

public class NetlinkErrorMessageTests
{
    private delegate void Check(NetlinkErrorMessage error);

    /// <summary>Parses the first message of <paramref name="datagram"/> as NLMSG_ERROR; returns the exception type or null.</summary>
    private static Type? Parse(byte[] datagram, Check? check = null)
    {
        var enumerator = new NetlinkMessageEnumerator(datagram);
        Assert.That(enumerator.MoveNext(), Is.True);
        Assert.That(enumerator.Current.Type, Is.EqualTo(2));
        try
        {
            NetlinkErrorMessage error = NetlinkErrorMessage.Parse(enumerator.Current);
            string? unused = error.ExtendedAckMessage;
            check?.Invoke(error);
            return null;
        }
        catch (NetlinkProtocolException e)
        {
            return e.GetType();
        }
    }

    [Test]
    public void Parse_RealErrorWithFullEcho_ErrnoTextAndOffset()
    {
        byte[] reply = KernelReplies.Datagrams("error-vxlan-port-range")[0];
        Assert.That(Parse(reply, e =>
        {
            using (Assert.EnterMultipleScope())
            {
                Assert.That(e.Error, Is.EqualTo(-22));
                Assert.That(e.ExtendedAckMessage, Is.EqualTo("Invalid source port range"));
                Assert.That(e.Offset, Is.EqualTo(60));
                Assert.That(e.MissingType, Is.Null);
                Assert.That(e.Request.Type, Is.EqualTo(16));
                Assert.That(e.Request.Length, Is.EqualTo(92u));
            }
        }), Is.Null);
    }

    [Test]
    public void Parse_RealCappedError_ErrnoTextAndOffset()
    {
        byte[] reply = KernelReplies.Datagrams("error-vxlan-port-range-capped")[0];
        Assert.That(Parse(reply, e =>
        {
            using (Assert.EnterMultipleScope())
            {
                Assert.That(e.Error, Is.EqualTo(-22));
                Assert.That(e.ExtendedAckMessage, Is.EqualTo("Invalid source port range"));
                Assert.That(e.Offset, Is.EqualTo(60));
                Assert.That(e.Request.Length, Is.EqualTo(92u), "the capped echo still carries the request's own header");
            }
        }), Is.Null);
    }

    [Test]
    public void Parse_RealMissingAttribute_MissType()
    {
        byte[] reply = KernelReplies.Datagrams("error-netdev-missing-ifindex")[0];
        Assert.That(Parse(reply, e =>
        {
            using (Assert.EnterMultipleScope())
            {
                Assert.That(e.Error, Is.EqualTo(-22));
                Assert.That(e.MissingType, Is.EqualTo((ushort)1), "NETDEV_A_DEV_IFINDEX");
                Assert.That(e.ExtendedAckMessage, Is.Null);
                Assert.That(e.Offset, Is.Null);
            }
        }), Is.Null);
    }

    [Test]
    public void Parse_Ack_ErrorZero()
    {
        byte[] ack = new byte[36];
        BinaryPrimitives.WriteUInt32LittleEndian(ack, 36);
        BinaryPrimitives.WriteUInt16LittleEndian(ack.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(ack.AsSpan(6), 0x100); // NLM_F_CAPPED
        BinaryPrimitives.WriteUInt32LittleEndian(ack.AsSpan(20), 32);   // the echoed header says 32, only the header is there
        Assert.That(Parse(ack, e => Assert.That((e.Error, e.ExtendedAckMessage, e.Offset), Is.EqualTo((0, (string?)null, (int?)null)))), Is.Null);
    }

    [TestCase(16)]
    [TestCase(20)]
    [TestCase(35)]
    public void Parse_EchoedHeaderCutShort_ThrowsProtocolException(int length)
    {
        byte[] message = new byte[length];
        BinaryPrimitives.WriteUInt32LittleEndian(message, (uint)length);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(4), 2);
        if (length >= 20)
        {
            BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(16), -22);
        }

        Assert.That(Parse(message), Is.EqualTo(typeof(NetlinkProtocolException)));
    }

    [TestCase(93u)]
    [TestCase(200u)]
    [TestCase(15u)]
    [TestCase(0u)]
    public void Parse_EchoedRequestLengthWrong_ThrowsProtocolException(uint echoedLength)
    {
        // The real full-echo error, with the echoed nlmsg_len changed: longer than what follows, or shorter than a header.
        byte[] reply = KernelReplies.Datagrams("error-vxlan-port-range")[0];
        byte[] message = reply.AsSpan(0, 16 + 4 + 92).ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(message, (uint)message.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(6), 0); // no TLVs: the echo is all there is
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(20), echoedLength);
        Assert.That(Parse(message), Is.EqualTo(typeof(NetlinkProtocolException)));
    }

    [Test]
    public void Parse_OffsetAttributeWrongSize_ThrowsProtocolException()
    {
        byte[] reply = KernelReplies.Datagrams("error-vxlan-port-range-capped")[0];
        byte[] message = reply.ToArray();
        // NLMSGERR_ATTR_OFFS is the last attribute (8 bytes at the end): make its length 6.
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(message.Length - 8), 6);
        Assert.That(Parse(message), Is.EqualTo(typeof(NetlinkProtocolException)));
    }

    [Test]
    public void Parse_MessageTextWithoutNul_ThrowsProtocolException()
    {
        byte[] message = KernelReplies.Datagrams("error-vxlan-port-range-capped")[0].ToArray();
        int text = 16 + 4 + 16 + 4; // NLMSGERR_ATTR_MSG value: "Invalid source port range\0"
        message[text + 25] = (byte)'!';
        Assert.That(Parse(message), Is.EqualTo(typeof(NetlinkProtocolException)));
    }

    // ---- NetlinkAttributePath.Resolve ----

    private static ushort[] Resolve(ReadOnlySpan<byte> request, int offset, int pathLength = 11)
    {
        Span<ushort> path = stackalloc ushort[pathLength];
        int depth = NetlinkAttributePath.Resolve(request, 16, offset, path);
        return path.Slice(0, depth).ToArray();
    }

    [Test]
    public void Resolve_KernelOffsetInIproute2Request_PathThroughUnflaggedNests()
    {
        // The echoed request is iproute2's: IFLA_LINKINFO and IFLA_INFO_DATA without NLA_F_NESTED. The kernel pointed
        // at IFLA_VXLAN_PORT_RANGE (10) inside IFLA_INFO_DATA (2) inside IFLA_LINKINFO (18).
        byte[] reply = KernelReplies.Datagrams("error-vxlan-port-range")[0];
        byte[] request = reply.AsSpan(20, 92).ToArray();
        Assert.That(Resolve(request, 60), Is.EqualTo(new ushort[] { 18, 2, 10 }));
        byte[] flagged = Iproute2Capture.SetNestedFlag(request, 0x28, 0x34);
        Assert.That(Resolve(flagged, 60), Is.EqualTo(new ushort[] { 18, 2, 10 }));
    }

    [Test]
    public void Resolve_OffsetsInWriterVxlanRequest_PathOfEachAttribute()
    {
        Span<byte> buffer = stackalloc byte[128];
        var writer = new NetlinkMessageWriter(buffer);
        writer.BeginMessage(16, NetlinkMessageFlags.Request);
        writer.WriteHeader(new IfInfoMsg());
        int name = writer.CurrentMessageLength;
        writer.WriteString(3, "vx0");
        int linkInfo = writer.CurrentMessageLength;
        NestedAttribute info = writer.BeginNested(18);
        int kind = writer.CurrentMessageLength;
        writer.WriteAttribute(1, "vxlan"u8);
        int data = writer.CurrentMessageLength;
        NestedAttribute d = writer.BeginNested(2);
        int id = writer.CurrentMessageLength;
        writer.WriteUInt32(1, 42);
        int port = writer.CurrentMessageLength;
        writer.WriteUInt16BigEndian(15, 4789);
        writer.EndNested(d);
        writer.EndNested(info);
        int mtu = writer.CurrentMessageLength;
        writer.WriteUInt32(4, 1400);
        int end = writer.EndMessage();
        ReadOnlySpan<byte> request = writer.WrittenSpan;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Resolve(request, name), Is.EqualTo(new ushort[] { 3 }));
            Assert.That(Resolve(request, linkInfo), Is.EqualTo(new ushort[] { 18 }));
            Assert.That(Resolve(request, kind), Is.EqualTo(new ushort[] { 18, 1 }));
            Assert.That(Resolve(request, data), Is.EqualTo(new ushort[] { 18, 2 }));
            Assert.That(Resolve(request, id), Is.EqualTo(new ushort[] { 18, 2, 1 }));
            Assert.That(Resolve(request, port), Is.EqualTo(new ushort[] { 18, 2, 15 }));
            Assert.That(Resolve(request, mtu), Is.EqualTo(new ushort[] { 4 }));
            Assert.That(Resolve(request, 4), Is.Empty, "inside the netlink header");
            Assert.That(Resolve(request, 20), Is.Empty, "inside the family header");
            Assert.That(Resolve(request, end), Is.Empty, "past the end");
            Assert.That(Resolve(request, -1), Is.Empty);
            Assert.That(Resolve(request, id, pathLength: 2), Is.EqualTo(new ushort[] { 18, 2 }), "bounded by the path buffer");
        }
    }

    [Test]
    public void Resolve_MalformedRequest_StopsWithoutReadingOutside()
    {
        byte[] request = new byte[48];
        BinaryPrimitives.WriteUInt16LittleEndian(request.AsSpan(32), 0xffff); // an attribute claiming 64 KiB
        Assert.That(Resolve(request, 36), Is.Empty);
        BinaryPrimitives.WriteUInt16LittleEndian(request.AsSpan(32), 0); // zero length
        Assert.That(Resolve(request, 36), Is.Empty);
    }
}
