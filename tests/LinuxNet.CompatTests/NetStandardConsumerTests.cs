using System.Reflection;
using System.Runtime.Versioning;
using LinuxNet.Compat.NetStandard;
using LinuxNet.Namespaces;
using LinuxNet.Route;

namespace LinuxNet.CompatTests;

/// <summary>
/// A netstandard2.0 library compiled against the netstandard2.0 asset, running against the net10.0 asset — what a
/// .NET 10 app referencing both LinuxNet and such a library gets (issue 12 item 1).
/// </summary>
public class NetStandardConsumerTests
{
    [Test]
    public void LoadedAssets_AreTheNet10LibraryAndTheNetStandardConsumer()
    {
        Assert.Multiple(() =>
        {
            Assert.That(typeof(VethLinkSpec).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName, Is.EqualTo(".NETCoreApp,Version=v10.0"));
            Assert.That(typeof(NetStandardConsumer).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName, Is.EqualTo(".NETStandard,Version=v2.0"));
        });
    }

    [Test]
    public void InitSetters_SetFromNetStandardCode_Work()
    {
        // Failed with MissingMethodException: 'Void LinuxNet.Route.VethLinkSpec.set_PeerNamespace(...)' before the
        // net10.0 asset forwarded IsExternalInit to CoreLib.
        Assert.That(NetStandardConsumer.BuildVethSpec(null), Is.EqualTo("cmp0 cmp1 False 020000000001 1400 500"));
    }

    [Test]
    public void NullableAnnotatedTryParse_FromNetStandardCode_Works()
    {
        Assert.Multiple(() =>
        {
            Assert.That(NetStandardConsumer.ParsePrefix("198.51.100.7/24"), Is.EqualTo("198.51.100.7/24"));
            Assert.That(NetStandardConsumer.ParsePrefix("nonsense"), Is.Null);
            Assert.That(NetStandardConsumer.ParsePrefix(null), Is.Null);
        });
    }

    [Test]
    public void NetlinkDump_FromNetStandardCode_ReadsAFreshNamespace()
    {
        if (Environment.UserName != "root" && !File.Exists("/proc/self/ns/net"))
        {
            Assert.Ignore("requires root and network namespaces");
        }

        try
        {
            using NetNamespace ns = NetNamespace.CreateAnonymous();
            Assert.That(NetStandardConsumer.DumpLinkNames(ns), Is.EqualTo("lo"));
        }
        catch (LinuxNetException e) when (e.Errno is Errno.EPERM or Errno.EACCES)
        {
            Assert.Ignore("requires CAP_SYS_ADMIN and CAP_NET_ADMIN: " + e.Message);
        }
    }

    [Test]
    public void VethSpecWithPeerNamespace_FromNetStandardCode_Works()
    {
        try
        {
            using NetNamespace ns = NetNamespace.CreateAnonymous();
            Assert.That(NetStandardConsumer.BuildVethSpec(ns), Does.StartWith("cmp0 cmp1 True "));
        }
        catch (LinuxNetException e) when (e.Errno is Errno.EPERM or Errno.EACCES)
        {
            Assert.Ignore("requires CAP_SYS_ADMIN: " + e.Message);
        }
    }
}
