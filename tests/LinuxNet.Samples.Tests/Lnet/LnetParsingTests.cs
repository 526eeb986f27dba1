using System.Net;
using LinuxNet.Netlink;
using LinuxNet.Route;
using LinuxNet.Samples.Lnet;

namespace LinuxNet.Samples.Tests.Lnet;

/// <summary>What lnet decides before it talks to the kernel: usage errors, names, error texts. Needs no privileges.</summary>
public class LnetParsingTests
{
    private static (int Exit, string Out, string Error) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = LinuxNet.Samples.Lnet.Lnet.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Test]
    public void Run_NoArguments_PrintsUsageAndExits255()
    {
        (int exit, _, string error) = Run();
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(255));
            Assert.That(error, Does.StartWith("Usage: lnet"));
        });
    }

    [TestCase("help")]
    [TestCase("-h")]
    [TestCase("-help")]
    public void Run_Help_PrintsUsageToStderrAndExits255AsIpDoes(string arg)
    {
        (int exit, string output, string error) = Run(arg);
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(255));
            Assert.That(output, Is.Empty);
            Assert.That(error, Does.Contain("OBJECT := { link | address | route | neigh | rule | nexthop | netns | tuntap | monitor }"));
        });
    }

    [TestCase("-x", "Option \"-x\" is unknown")]
    [TestCase("-n", "No netns name specified")]
    public void Run_BadGlobalUsage_Exits255WithIproute2Text(string arg, string expected)
    {
        (int exit, string output, string error) = Run(arg);
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(255));
            Assert.That(error, Does.Contain(expected));
            Assert.That(output, Is.Empty);
        });
    }

    [Test]
    public void Run_UnknownObject_Exits1AsIpDoes()
    {
        (int exit, string output, string error) = Run("frobnicate");
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1));
            Assert.That(error, Is.EqualTo("Object \"frobnicate\" is unknown, try \"lnet help\".\n"));
            Assert.That(output, Is.Empty);
        });
    }

    [TestCase("-V")]
    [TestCase("-Version")]
    public void Run_Version_PrintsTheLibrarysVersion(string arg)
    {
        (int exit, string output, _) = Run(arg);
        string library = typeof(LinkManager).Assembly.GetName().Version!.ToString(3);
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero);
            Assert.That(output, Does.StartWith("lnet utility, LinuxNet " + library));
            Assert.That(typeof(LinuxNet.Samples.Lnet.Lnet).Assembly.GetName().Version, Is.EqualTo(typeof(LinkManager).Assembly.GetName().Version), "lnet is versioned with the library");
        });
    }

    [Test]
    public void ArgumentText_OutOfRange_DropsTheDotNetParameterAndValueLines()
    {
        var e = new ArgumentOutOfRangeException("queues", 0, "A device has 1 to 256 queues.");
        Assert.That(LinuxNet.Samples.Lnet.Lnet.ArgumentText(e), Is.EqualTo("A device has 1 to 256 queues."));
    }

    [TestCase(10, "mtu less than device minimum.")]
    [TestCase(70000, "mtu greater than device maximum.")]
    public void ArgumentText_Mtu_IsTheKernelsWording(int mtu, string expected)
        => Assert.That(LinuxNet.Samples.Lnet.Lnet.ArgumentText(new ArgumentOutOfRangeException("mtu", mtu, "An MTU must be between 68 and 65535 bytes.")), Is.EqualTo(expected));

    [TestCase("link", "help", "lnet link add")]
    [TestCase("a", "help", "lnet address {add|change|replace|del}")]
    [TestCase("r", "help", "lnet route get ADDRESS")]
    [TestCase("n", "help", "lnet neigh { add | del | replace }")]
    [TestCase("ru", "help", "lnet [-6] rule { show | flush }")]
    [TestCase("netns", "help", "lnet netns exec NAME")]
    [TestCase("tuntap", "help", "lnet tuntap { add | del | show | list }")]
    [TestCase("monitor", "help", "lnet monitor [ all | OBJECTS ]")]
    public void Run_ObjectAbbreviationHelp_ReachesTheRightObject(string objectWord, string verb, string expected)
    {
        (int exit, string output, string error) = Run(objectWord, verb);
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(255), "ip OBJECT help exits 255");
            Assert.That(output, Is.Empty);
            Assert.That(error, Does.Contain(expected));
        });
    }

    [Test]
    public void KernelError_WithExtendedAck_PrintsErrorAndAddsThePeriod()
    {
        var e = new NetlinkException(Errno.EEXIST, "RTM_NEWADDR", "exists", "ipv4: Address already assigned", null, 20, 1);
        Assert.That(LinuxNet.Samples.Lnet.Lnet.KernelError(e), Is.EqualTo("Error: ipv4: Address already assigned."));
    }

    [Test]
    public void KernelError_WithoutExtendedAck_PrintsTheErrnoTextLikeIp()
    {
        var e = new NetlinkException(Errno.EEXIST, "RTM_NEWLINK", "exists", null, null, 16, 1);
        Assert.That(LinuxNet.Samples.Lnet.Lnet.KernelError(e), Is.EqualTo("RTNETLINK answers: File exists"));
    }

    [TestCase("0.0.0.0/0", "default")]
    [TestCase("::/0", "default")]
    [TestCase("198.51.100.7/32", "198.51.100.7")]
    [TestCase("2001:db8::1/128", "2001:db8::1")]
    [TestCase("203.0.113.0/24", "203.0.113.0/24")]
    public void Destination_Prefix_FormatsAsIpDoes(string prefix, string expected)
        => Assert.That(Names.Destination(IPPrefix.Parse(prefix)), Is.EqualTo(expected));

    [Test]
    public void LinkFlagWords_UpWithoutRunning_StartsWithNoCarrierAndEndsWithMasterDown()
    {
        List<string> words = Names.LinkFlagWords(LinkFlags.Up | LinkFlags.Broadcast | LinkFlags.Multicast, masterDown: true);
        Assert.That(words, Is.EqualTo(new[] { "NO-CARRIER", "BROADCAST", "MULTICAST", "UP", "M-DOWN" }));
    }

    [Test]
    public void ParsePrefix_BareAddress_IsAHostPrefix()
        => Assert.That(Names.ParsePrefix("198.51.100.1"), Is.EqualTo(new IPPrefix(IPAddress.Parse("198.51.100.1"), 32)));

    [Test]
    public void ParsePrefix_BadLength_ThrowsIproute2Text()
        => Assert.That(() => Names.ParsePrefix("198.51.100.1/33"), Throws.TypeOf<UsageException>().With.Message.EqualTo("Error: any valid prefix is expected rather than \"198.51.100.1/33\"."));
}
