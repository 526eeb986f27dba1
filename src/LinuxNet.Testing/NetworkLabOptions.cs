namespace LinuxNet.Testing;

/// <summary>How <see cref="NetworkLabBuilder.Build"/> prepares every namespace of a lab.</summary>
public sealed class NetworkLabOptions
{
    /// <summary>
    /// Turn IPv6 duplicate address detection off in every namespace (<c>net.ipv6.conf.all.accept_dad=0</c> and
    /// <c>default</c>), so IPv6 addresses are usable at once instead of after DAD's second; default <see langword="true"/>.
    /// </summary>
    public bool DisableDuplicateAddressDetection { get; set; } = true;

    /// <summary>Bring <c>lo</c> up in every namespace; default <see langword="true"/>.</summary>
    public bool LoopbackUp { get; set; } = true;

    /// <summary>
    /// Bring every link the lab creates up once addresses are on, and wait until the kernel reports each one
    /// operational (so nothing sent right after <see cref="NetworkLabBuilder.Build"/> is dropped); default <see langword="true"/>.
    /// </summary>
    public bool LinksUp { get; set; } = true;

    /// <summary>How long <see cref="NetworkLabBuilder.Build"/> waits for the links to come up; default 10 seconds.</summary>
    public System.TimeSpan LinkUpTimeout { get; set; } = System.TimeSpan.FromSeconds(10);
}
