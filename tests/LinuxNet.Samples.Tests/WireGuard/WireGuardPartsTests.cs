using System.Net;
using LinuxNet.Route;
using LinuxNet.Samples.WireGuard.Config;
using LinuxNet.Samples.WireGuard.Device;
using LinuxNet.Samples.WireGuard.Protocol;
using LinuxNet.Samples.WireGuard.Routing;

namespace LinuxNet.Samples.Tests.WireGuard;

/// <summary>The replay window, the allowed-IPs trie, the configuration parser and the wg show wording.</summary>
public class WireGuardPartsTests
{
    private const string Sample = """
        # a comment
        [Interface]
        PrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=
        ListenPort = 51820
        Address = 198.51.100.1/24, 2001:db8::1/64
        MTU = 1380
        DNS = 198.51.100.53

        [Peer]
        PublicKey = xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=
        PresharedKey = FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE=
        AllowedIPs = 198.51.100.2/32, 2001:db8::2
        AllowedIPs = 198.51.100.128/25
        Endpoint = 203.0.113.2:51820
        PersistentKeepalive = 25

        [peer]
        publickey = TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=
        Endpoint = [2001:db8::9]:4500
        """;

    [Test]
    public void ReplayWindow_AcceptsOnce_InWindow_RejectsOld()
    {
        var window = new ReplayWindow();
        Assert.Multiple(() =>
        {
            Assert.That(window.TryAccept(0), Is.True);
            Assert.That(window.TryAccept(0), Is.False, "duplicate");
            Assert.That(window.TryAccept(5), Is.True);
            Assert.That(window.TryAccept(3), Is.True, "late but in the window");
            Assert.That(window.TryAccept(3), Is.False);
            Assert.That(window.TryAccept(10_000), Is.True, "a jump");
            Assert.That(window.TryAccept(10_000 - ReplayWindow.WindowSize + 1), Is.True, "oldest still in the window");
            Assert.That(window.TryAccept(10_000 - ReplayWindow.WindowSize), Is.False, "just out of the window");
            Assert.That(window.TryAccept(5), Is.False, "long gone");
            Assert.That(ReplayWindow.WindowSize, Is.EqualTo(8192 - 64), "the kernel's window");
        });
    }

    [Test]
    public void AllowedIps_LongestPrefix_IPv4AndIPv6()
    {
        var trie = new AllowedIps<string>();
        trie.Insert(IPPrefix.Parse("0.0.0.0/0"), "default");
        trie.Insert(IPPrefix.Parse("198.51.100.0/24"), "net");
        trie.Insert(IPPrefix.Parse("198.51.100.2/32"), "host");
        trie.Insert(IPPrefix.Parse("2001:db8::/32"), "v6");
        trie.Insert(IPPrefix.Parse("2001:db8:1::/48"), "v6-48");
        Assert.Multiple(() =>
        {
            Assert.That(trie.Lookup(IPAddress.Parse("198.51.100.2")), Is.EqualTo("host"));
            Assert.That(trie.Lookup(IPAddress.Parse("198.51.100.3")), Is.EqualTo("net"));
            Assert.That(trie.Lookup(IPAddress.Parse("203.0.113.9")), Is.EqualTo("default"));
            Assert.That(trie.Lookup(IPAddress.Parse("2001:db8:1::5")), Is.EqualTo("v6-48"));
            Assert.That(trie.Lookup(IPAddress.Parse("2001:db8:2::5")), Is.EqualTo("v6"));
            Assert.That(trie.Lookup(IPAddress.Parse("2001:db9::1")), Is.Null, "no IPv6 default");
            Assert.Throws<ArgumentException>(() => trie.Lookup(new byte[5]));
        });
    }

    [Test]
    public void AllowedIps_SamePrefixMovesToTheLastPeer_AndEntriesListIt()
    {
        var trie = new AllowedIps<string>();
        trie.Insert(IPPrefix.Parse("198.51.100.7/24"), "first");
        trie.Insert(IPPrefix.Parse("198.51.100.0/24"), "second");
        Assert.Multiple(() =>
        {
            Assert.That(trie.Lookup(IPAddress.Parse("198.51.100.1")), Is.EqualTo("second"));
            Assert.That(trie.Entries().Select(e => $"{e.Prefix}={e.Value}"), Is.EqualTo(new[] { "198.51.100.0/24=second" }), "host bits dropped, one entry");
        });
    }

    [Test]
    public void Config_ParsesWgQuickShape()
    {
        WireGuardConfig config = WireGuardConfig.Parse(Sample);
        PeerConfig first = config.Peers[0];
        Assert.Multiple(() =>
        {
            Assert.That(WireGuardKey.Format(config.Interface.PrivateKey), Is.EqualTo("yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk="));
            Assert.That(config.Interface.ListenPort, Is.EqualTo(51820));
            Assert.That(config.Interface.Addresses.Select(a => a.ToString()), Is.EqualTo(new[] { "198.51.100.1/24", "2001:db8::1/64" }));
            Assert.That(config.Interface.Mtu, Is.EqualTo(1380));
            Assert.That(config.Peers, Has.Count.EqualTo(2));
            Assert.That(first.PresharedKey, Has.Length.EqualTo(32));
            Assert.That(first.AllowedIps.Select(a => a.ToString()), Is.EqualTo(new[] { "198.51.100.2/32", "2001:db8::2/128", "198.51.100.128/25" }));
            Assert.That(first.Endpoint, Is.EqualTo(new IPEndPoint(IPAddress.Parse("203.0.113.2"), 51820)));
            Assert.That(first.PersistentKeepalive, Is.EqualTo(25));
            Assert.That(config.Peers[1].Endpoint, Is.EqualTo(new IPEndPoint(IPAddress.Parse("2001:db8::9"), 4500)));
            Assert.That(config.Peers[1].PresharedKey, Is.Null);
        });
    }

    [Test]
    public void Config_FormatRoundTrips_AndWgShapeDropsAddressAndMtu()
    {
        WireGuardConfig config = WireGuardConfig.Parse(Sample);
        string wgQuick = config.Format();
        string wg = config.Format(wgQuickKeys: false);
        Assert.Multiple(() =>
        {
            Assert.That(WireGuardConfig.Parse(wgQuick).Format(), Is.EqualTo(wgQuick));
            Assert.That(wg, Does.Not.Contain("Address").And.Not.Contain("MTU").And.Contain("PersistentKeepalive = 25"));
        });
    }

    [TestCase("[Interface]\nListenPort = 1\n", "no PrivateKey")]
    [TestCase("[Interface]\nPrivateKey = abc\n", "line 2: 'abc' is not a key")]
    [TestCase("[Interface]\nPrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\nListenPort = 70000\n", "line 3: ListenPort")]
    [TestCase("[Interface]\nPrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\nFoo = 1\n", "unknown key Foo")]
    [TestCase("PrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n", "outside a section")]
    [TestCase("[Interface]\n[Interface]\n", "a second [Interface]")]
    [TestCase("[Tunnel]\n", "unknown section")]
    [TestCase("[Interface]\nPrivateKey\n", "expected Key = Value")]
    [TestCase("[Interface]\nPrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n[Peer]\nAllowedIPs = 198.51.100.0/33\n", "is not an address or prefix")]
    [TestCase("[Interface]\nPrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n[Peer]\nEndpoint = 203.0.113.2\n", "is not host:port")]
    [TestCase("[Interface]\nPrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n[Peer]\nEndpoint = 2001:db8::1:51820\n", "in brackets")]
    [TestCase("[Interface]\nPrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n[Peer]\nAllowedIPs = 198.51.100.2/32\n", "peer 1 has no PublicKey")]
    public void Config_BadInput_ThrowsFormatExceptionNamingTheProblem(string text, string expected) =>
        Assert.That(() => WireGuardConfig.Parse(text), Throws.InstanceOf<FormatException>().With.Message.Contains(expected));

    [Test]
    public void Examples_ParseAndPairUp()
    {
        DirectoryInfo root = new(TestContext.CurrentContext.TestDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "LinuxNet.sln")))
        {
            root = root.Parent ?? throw new InvalidOperationException("the repository root is not above the test directory");
        }

        string examples = Path.Combine(root.FullName, "samples/WireGuard/examples");
        WireGuardConfig sample = WireGuardConfig.Load(Path.Combine(examples, "sample.conf"));
        WireGuardConfig peer = WireGuardConfig.Load(Path.Combine(examples, "peer.conf"));
        Assert.Multiple(() =>
        {
            Assert.That(sample.Peers[0].PublicKey, Is.EqualTo(Samples.WireGuard.Crypto.Curve25519.GetPublicKey(peer.Interface.PrivateKey)));
            Assert.That(peer.Peers[0].PublicKey, Is.EqualTo(Samples.WireGuard.Crypto.Curve25519.GetPublicKey(sample.Interface.PrivateKey)));
        });
    }

    [Test]
    public void Show_WordsAsWg()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ShowFormatter.Ago(TimeSpan.FromSeconds(65)), Is.EqualTo("1 minute, 5 seconds ago"));
            Assert.That(ShowFormatter.Ago(TimeSpan.FromSeconds(0.4)), Is.EqualTo("Now"));
            Assert.That(ShowFormatter.Duration(2 * 86400 + 3600), Is.EqualTo("2 days, 1 hour"));
            Assert.That(ShowFormatter.Bytes(1023), Is.EqualTo("1023 B"));
            Assert.That(ShowFormatter.Bytes(1536), Is.EqualTo("1.50 KiB"));
            Assert.That(ShowFormatter.Bytes(5L << 30), Is.EqualTo("5.00 GiB"));
        });
    }
}
