using System.Net;
using System.Net.Sockets;
using LinuxNet.Route;

namespace LinuxNet.Tests.Route;

public class IPPrefixTests
{
    [TestCase("198.51.100.7/24", "198.51.100.7", 24)]
    [TestCase("2001:db8::7/64", "2001:db8::7", 64)]
    [TestCase("198.51.100.7", "198.51.100.7", 32)]
    [TestCase("2001:db8::7", "2001:db8::7", 128)]
    [TestCase("0.0.0.0/0", "0.0.0.0", 0)]
    [TestCase("::/0", "::", 0)]
    [TestCase("203.0.113.255/32", "203.0.113.255", 32)]
    [TestCase("2001:db8::/128", "2001:db8::", 128)]
    public void Parse_ValidText_KeepsAddressAndLength(string text, string address, int length)
    {
        IPPrefix prefix = IPPrefix.Parse(text);
        Assert.Multiple(() =>
        {
            Assert.That(prefix.Address, Is.EqualTo(IPAddress.Parse(address)));
            Assert.That(prefix.PrefixLength, Is.EqualTo(length));
            Assert.That(IPPrefix.TryParse(text, out IPPrefix again), Is.True);
            Assert.That(again, Is.EqualTo(prefix));
        });
    }

    [TestCase("198.51.100.7/33")]
    [TestCase("2001:db8::1/129")]
    [TestCase("198.51.100.7/")]
    [TestCase("198.51.100.7/-1")]
    [TestCase("198.51.100.7/+8")]
    [TestCase("198.51.100.7/ 8")]
    [TestCase("198.51.100.7/1000")]
    [TestCase("198.51.100/24")]
    [TestCase("1/8")]
    [TestCase("256.1.1.1/8")]
    [TestCase("198.51.100.7/24/1")]
    [TestCase("fe80::1%2/64")]
    [TestCase("fe80::1%eth0")]
    [TestCase("")]
    [TestCase(" 198.51.100.7/24")]
    [TestCase("eth0")]
    [TestCase("2001:db8::g/64")]
    public void Parse_InvalidText_ThrowsFormatException(string text)
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => IPPrefix.Parse(text), Throws.TypeOf<FormatException>());
            Assert.That(IPPrefix.TryParse(text, out IPPrefix result), Is.False);
            Assert.That(result, Is.EqualTo(default(IPPrefix)));
        });
    }

    [Test]
    public void Parse_Null_ThrowsArgumentNull()
    {
        Assert.That(() => IPPrefix.Parse(null!), Throws.ArgumentNullException);
        Assert.That(IPPrefix.TryParse(null, out _), Is.False);
    }

    [TestCase("198.51.100.7", 33)]
    [TestCase("198.51.100.7", -1)]
    [TestCase("2001:db8::1", 129)]
    public void Constructor_LengthOutOfRangeForFamily_ThrowsArgumentException(string address, int length)
    {
        Assert.That(() => new IPPrefix(IPAddress.Parse(address), length), Throws.InstanceOf<ArgumentException>());
    }

    [Test]
    public void Constructor_ScopedIPv6_ThrowsArgumentException()
    {
        Assert.That(() => new IPPrefix(IPAddress.Parse("fe80::1%3"), 64), Throws.ArgumentException);
    }

    [TestCase("198.51.100.7/24", "198.51.100.0/24")]
    [TestCase("198.51.100.7/32", "198.51.100.7/32")]
    [TestCase("198.51.100.7/0", "0.0.0.0/0")]
    [TestCase("203.0.113.200/25", "203.0.113.128/25")]
    [TestCase("2001:db8::7/64", "2001:db8::/64")]
    [TestCase("2001:db8:abcd:1234::1/33", "2001:db8:8000::/33")]
    public void Network_ClearsHostBits(string text, string expected)
    {
        IPPrefix prefix = IPPrefix.Parse(text);
        Assert.Multiple(() =>
        {
            Assert.That(prefix.Network, Is.EqualTo(IPPrefix.Parse(expected)));
            Assert.That(prefix.HasHostBits, Is.EqualTo(text != expected));
            Assert.That(prefix.Network.HasHostBits, Is.False);
        });
    }

    [TestCase("198.51.100.7/24", "198.51.100.7/24")]
    [TestCase("2001:db8::7/64", "2001:db8::7/64")]
    [TestCase("198.51.100.7", "198.51.100.7/32")]
    public void ToString_FormatsAddressSlashLength(string text, string expected)
    {
        IPPrefix prefix = IPPrefix.Parse(text);
        Span<char> buffer = stackalloc char[64];
        Assert.That(prefix.ToString(), Is.EqualTo(expected));
        Assert.That(prefix.TryFormat(buffer, out int written, default, null), Is.True);
        Assert.That(buffer.Slice(0, written).ToString(), Is.EqualTo(expected));
        Assert.That(prefix.TryFormat(buffer.Slice(0, 3), out written, default, null), Is.False);
        Assert.That(written, Is.Zero);
        Assert.That($"{prefix}", Is.EqualTo(expected));
    }

    [Test]
    public void Equality_HostBitsMatter()
    {
        IPPrefix a = IPPrefix.Parse("198.51.100.7/24");
        IPPrefix b = IPPrefix.Parse("198.51.100.8/24");
        IPPrefix c = IPPrefix.Parse("198.51.100.7/25");
        Assert.Multiple(() =>
        {
            Assert.That(a == IPPrefix.Parse("198.51.100.7/24"), Is.True);
            Assert.That(a != b, Is.True);
            Assert.That(a.Equals(c), Is.False);
            Assert.That(a.GetHashCode(), Is.EqualTo(IPPrefix.Parse("198.51.100.7/24").GetHashCode()));
            Assert.That(a.Equals((object)b), Is.False);
        });
    }

    [Test]
    public void Default_IsIPv4Any()
    {
        IPPrefix prefix = default;
        Assert.Multiple(() =>
        {
            Assert.That(prefix.Address, Is.EqualTo(IPAddress.Any));
            Assert.That(prefix.PrefixLength, Is.Zero);
            Assert.That(prefix.ToString(), Is.EqualTo("0.0.0.0/0"));
            Assert.That(prefix.AddressFamily, Is.EqualTo(AddressFamily.InterNetwork));
        });
    }

    [TestCase("198.51.100.0/24", "198.51.100.200", true)]
    [TestCase("198.51.100.0/24", "198.51.101.1", false)]
    [TestCase("2001:db8::/32", "2001:db8:ffff::1", true)]
    [TestCase("2001:db8::/32", "198.51.100.1", false)]
    public void Contains_ChecksPrefixBits(string prefix, string address, bool expected)
    {
        Assert.That(IPPrefix.Parse(prefix).Contains(IPAddress.Parse(address)), Is.EqualTo(expected));
    }

#if NET
    [Test]
    public void IPNetwork_RoundTrip_DropsHostBitsOneWay()
    {
        // Members that exist only in the net10.0 build of LinuxNet; reached by reflection so the suite also compiles and runs
        // against the netstandard2.0 build, where they must be absent.
        var toNetwork = typeof(IPPrefix).GetMethod("ToIPNetwork");
        var fromNetwork = typeof(IPPrefix).GetMethod("FromIPNetwork");
        if (typeof(IPPrefix).Assembly.GetCustomAttributes(typeof(System.Runtime.Versioning.TargetFrameworkAttribute), false)
            .Cast<System.Runtime.Versioning.TargetFrameworkAttribute>().Single().FrameworkName.StartsWith(".NETStandard", StringComparison.Ordinal))
        {
            Assert.That(toNetwork, Is.Null);
            Assert.That(fromNetwork, Is.Null);
            return;
        }

        IPPrefix prefix = IPPrefix.Parse("198.51.100.7/24");
        var network = (IPNetwork)toNetwork!.Invoke(prefix, null)!;
        var back = (IPPrefix)fromNetwork!.Invoke(null, [IPNetwork.Parse("2001:db8::/48")])!;
        Assert.Multiple(() =>
        {
            Assert.That(network, Is.EqualTo(IPNetwork.Parse("198.51.100.0/24")));
            Assert.That(back, Is.EqualTo(IPPrefix.Parse("2001:db8::/48")));
        });
    }
#endif
}
