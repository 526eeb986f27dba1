using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using LinuxNet.Netlink;

namespace LinuxNet.Tests.Netlink;

public class NetlinkAttributeTests
{
    private delegate void Getter(NetlinkAttribute attribute);

    private static readonly Dictionary<string, (int Size, Getter Get)> Getters = new()
    {
        ["GetUInt8"] = (1, a => a.GetUInt8()),
        ["GetUInt16"] = (2, a => a.GetUInt16()),
        ["GetUInt16BigEndian"] = (2, a => a.GetUInt16BigEndian()),
        ["GetUInt32"] = (4, a => a.GetUInt32()),
        ["GetUInt32BigEndian"] = (4, a => a.GetUInt32BigEndian()),
        ["GetInt32"] = (4, a => a.GetInt32()),
        ["GetUInt64"] = (8, a => a.GetUInt64()),
    };

    /// <summary>Runs <paramref name="get"/> on the single attribute of type 7 whose value is <paramref name="value"/>.</summary>
    private static Type? Call(ushort rawType, byte[] value, Getter get)
    {
        byte[] buffer = new byte[4 + value.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(buffer, (ushort)buffer.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(2), rawType);
        value.CopyTo(buffer, 4);
        var enumerator = new NetlinkAttributeEnumerator(buffer);
        Assert.That(enumerator.MoveNext(), Is.True);
        try
        {
            get(enumerator.Current);
            return null;
        }
        catch (Exception e)
        {
            return e.GetType();
        }
    }

    private static IEnumerable<TestCaseData> WrongSizes()
    {
        foreach ((string name, (int size, Getter _)) in Getters)
        {
            foreach (int wrong in new[] { 0, size - 1, size + 1, size * 2 }.Where(n => n >= 0 && n != size).Distinct())
            {
                yield return new TestCaseData(name, wrong).SetName($"{name}_{wrong}ByteValue_ThrowsProtocolException");
            }
        }
    }

    [TestCaseSource(nameof(WrongSizes))]
    public void TypedGetter_WrongLength_ThrowsProtocolException(string getter, int length)
        => Assert.That(Call(7, new byte[length], Getters[getter].Get), Is.EqualTo(typeof(NetlinkProtocolException)));

    [TestCase("GetUInt8")]
    [TestCase("GetUInt16")]
    [TestCase("GetUInt16BigEndian")]
    [TestCase("GetUInt32")]
    [TestCase("GetUInt32BigEndian")]
    [TestCase("GetInt32")]
    [TestCase("GetUInt64")]
    public void TypedGetter_ExactLength_Succeeds(string getter)
        => Assert.That(Call(7, new byte[Getters[getter].Size], Getters[getter].Get), Is.Null);

    [Test]
    public void TypedGetters_Values_DecodedInTheirByteOrder()
    {
        byte[] buffer = [8, 0, 7, 0, 0x78, 0x56, 0x34, 0x12];
        var enumerator = new NetlinkAttributeEnumerator(buffer);
        Assert.That(enumerator.MoveNext(), Is.True);
        NetlinkAttribute a = enumerator.Current;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(a.GetUInt32(), Is.EqualTo(0x12345678u));
            Assert.That(a.GetInt32(), Is.EqualTo(0x12345678));
            Assert.That(a.GetUInt32BigEndian(), Is.EqualTo(0x78563412u));
        }
    }

    [Test]
    public void GetStruct_ShorterThanType_ThrowsProtocolException()
        => Assert.That(Call(7, new byte[15], a => a.GetStruct<IfInfoMsg>()), Is.EqualTo(typeof(NetlinkProtocolException)));

    [Test]
    public void GetStruct_LongerThanType_ReadsPrefix()
    {
        byte[] value = new byte[24];
        value[0] = 17;
        BinaryPrimitives.WriteInt32LittleEndian(value.AsSpan(4), 42);
        IfInfoMsg header = default;
        Assert.That(Call(7, value, a => header = a.GetStruct<IfInfoMsg>()), Is.Null);
        Assert.That((header.Family, header.Index), Is.EqualTo(((byte)17, 42)));
    }

    [Test]
    public void GetString_NoNul_ThrowsProtocolException()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Call(3, "veth"u8.ToArray(), a => a.GetString()), Is.EqualTo(typeof(NetlinkProtocolException)));
            Assert.That(Call(3, "veth"u8.ToArray(), a => a.GetStringBytes()), Is.EqualTo(typeof(NetlinkProtocolException)));
            Assert.That(Call(3, [], a => a.GetString()), Is.EqualTo(typeof(NetlinkProtocolException)));
        }
    }

    [Test]
    public void GetString_NulInside_TextBeforeFirstNul()
    {
        string? text = null;
        Assert.That(Call(3, "v0\0junk\0"u8.ToArray(), a => text = a.GetString()), Is.Null);
        Assert.That(text, Is.EqualTo("v0"));
        Assert.That(Call(3, [0], a => text = a.GetString()), Is.Null);
        Assert.That(text, Is.Empty);
    }

    [TestCase(new byte[] { 198, 51, 100, 1 }, "198.51.100.1")]
    [TestCase(new byte[] { 0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }, "2001:db8::1")]
    public void GetIPAddress_FourOrSixteenBytes_Decoded(byte[] value, string expected)
    {
        IPAddress? address = null;
        Assert.That(Call(1, value, a => address = a.GetIPAddress()), Is.Null);
        Assert.That(address, Is.EqualTo(IPAddress.Parse(expected)));
    }

    [TestCase(0)]
    [TestCase(3)]
    [TestCase(5)]
    [TestCase(15)]
    [TestCase(17)]
    public void GetIPAddress_OtherLength_ThrowsProtocolException(int length)
        => Assert.That(Call(1, new byte[length], a => a.GetIPAddress()), Is.EqualTo(typeof(NetlinkProtocolException)));

    [Test]
    public void GetPhysicalAddress_EmptyAndSix_Decoded()
    {
        PhysicalAddress? mac = null;
        Assert.That(Call(1, [], a => mac = a.GetPhysicalAddress()), Is.Null);
        Assert.That(mac, Is.EqualTo(PhysicalAddress.None));
        Assert.That(Call(1, [2, 0, 0, 0, 0, 9], a => mac = a.GetPhysicalAddress()), Is.Null);
        Assert.That(mac, Is.EqualTo(PhysicalAddress.Parse("02-00-00-00-00-09")));
    }

    [TestCase((ushort)0x0007, (ushort)7, false, false)]
    [TestCase((ushort)0x8012, (ushort)18, true, false)]
    [TestCase((ushort)0x400f, (ushort)15, false, true)]
    [TestCase((ushort)0xffff, (ushort)0x3fff, true, true)]
    public void Type_FlagBits_SplitFromType(ushort rawType, ushort type, bool nested, bool networkOrder)
    {
        byte[] buffer = new byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(buffer, 4);
        BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(2), rawType);
        var enumerator = new NetlinkAttributeEnumerator(buffer);
        Assert.That(enumerator.MoveNext(), Is.True);
        Assert.That((enumerator.Current.Type, enumerator.Current.IsNested, enumerator.Current.IsNetworkByteOrder), Is.EqualTo((type, nested, networkOrder)));
    }
}
