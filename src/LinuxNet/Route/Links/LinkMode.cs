namespace LinuxNet.Route;

/// <summary>A link's mode, as <c>ip link</c> prints after <c>mode</c>: how far its operational state may go up on its own.</summary>
/// <remarks>Kernel: <c>IFLA_LINKMODE</c>, <c>IF_LINK_MODE_*</c> in <c>/usr/include/linux/if.h</c>.</remarks>
public enum LinkMode : byte
{
    /// <summary>The operational state follows the carrier (<c>DEFAULT</c>).</summary>
    Default = 0,

    /// <summary>A supplicant (e.g. 802.1X) must move the link from <see cref="OperationalState.Dormant"/> to up (<c>DORMANT</c>).</summary>
    Dormant = 1,

    /// <summary>The link stays in <see cref="OperationalState.Testing"/> until told otherwise (<c>TESTING</c>).</summary>
    Testing = 2,
}
