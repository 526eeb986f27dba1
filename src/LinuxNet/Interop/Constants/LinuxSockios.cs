namespace LinuxNet;

/// <summary>Socket ioctls from /usr/include/linux/sockios.h.</summary>
internal static class LinuxSockios
{
    /// <summary>Returns an fd for the socket's network namespace (Linux 4.9+).</summary>
    internal const nuint SIOCGSKNS = 0x894C;
}
