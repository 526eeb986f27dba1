namespace LinuxNet.IntegrationTests.Infrastructure;

/// <summary>Guards for tests that need root (CAP_NET_ADMIN + CAP_SYS_ADMIN) and network namespaces.</summary>
internal static class Privileged
{
    /// <summary>True when the effective user is root and the kernel has network namespaces.</summary>
    public static bool IsAvailable => Interop.Libc.GetEuid() == 0 && File.Exists("/proc/self/ns/net");

    /// <summary>Reports the test as ignored, with the reason, unless running as root with network namespaces.</summary>
    public static void RequireRoot()
    {
        if (Interop.Libc.GetEuid() != 0)
        {
            Assert.Ignore($"requires root (CAP_NET_ADMIN and CAP_SYS_ADMIN); running as euid {Interop.Libc.GetEuid()}");
        }

        if (!File.Exists("/proc/self/ns/net"))
        {
            Assert.Ignore("requires network namespaces (/proc/self/ns/net is missing)");
        }
    }

    /// <summary>A unique name for a named namespace (or device) a test creates: <c>lnt-xxxxxxxx</c>.</summary>
    public static string UniqueName(string prefix = "lnt-") => prefix + Guid.NewGuid().ToString("N")[..8];
}
