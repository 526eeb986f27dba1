namespace LinuxNet.Route;

/// <summary>A link's operational state (RFC 2863), as <c>ip link</c> prints after <c>state</c>.</summary>
/// <remarks>Kernel: <c>IFLA_OPERSTATE</c>, <c>IF_OPER_*</c> in <c>/usr/include/linux/if.h</c>.</remarks>
public enum OperationalState : byte
{
    /// <summary>The driver does not report a state (<c>UNKNOWN</c>; loopback and TUN devices show this).</summary>
    Unknown = 0,

    /// <summary>A component is missing (<c>NOTPRESENT</c>).</summary>
    NotPresent = 1,

    /// <summary>Down (<c>DOWN</c>).</summary>
    Down = 2,

    /// <summary>Down because a lower device is down (<c>LOWERLAYERDOWN</c>), e.g. a veth whose peer is down.</summary>
    LowerLayerDown = 3,

    /// <summary>In test mode (<c>TESTING</c>).</summary>
    Testing = 4,

    /// <summary>Waiting for an external event (<c>DORMANT</c>).</summary>
    Dormant = 5,

    /// <summary>Up and able to pass packets (<c>UP</c>).</summary>
    Up = 6,
}
