namespace LinuxNet.Route;

/// <summary>The routing tables with reserved numbers (<c>/etc/iproute2/rt_tables</c>).</summary>
/// <remarks>Any number from 1 to 4,294,967,295 names a table; numbers above 255 travel in <c>RTA_TABLE</c>.</remarks>
public static class RouteTables
{
    /// <summary>Table 253, <c>default</c>. Kernel: RT_TABLE_DEFAULT.</summary>
    public const uint Default = 253;

    /// <summary>Table 254, <c>main</c>: where <c>ip route add</c> puts routes by default. Kernel: RT_TABLE_MAIN.</summary>
    public const uint Main = 254;

    /// <summary>Table 255, <c>local</c>: local and broadcast addresses, maintained by the kernel. Kernel: RT_TABLE_LOCAL.</summary>
    public const uint Local = 255;
}
