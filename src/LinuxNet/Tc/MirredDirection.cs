namespace LinuxNet.Tc;

/// <summary>Where <see cref="MirredAction"/> hands the packet to the target device.</summary>
public enum MirredDirection
{
    /// <summary>Transmitted by the target (<c>egress</c>).</summary>
    Egress,

    /// <summary>Received by the target (<c>ingress</c>).</summary>
    Ingress,
}
