namespace LinuxNet.Tc;

/// <summary>What <see cref="MirredAction"/> does with the packet.</summary>
public enum MirredMode
{
    /// <summary>Moves the packet to the target (<c>redirect</c>; the verdict is <c>stolen</c>).</summary>
    Redirect,

    /// <summary>Sends a copy to the target and lets the original go on (<c>mirror</c>; the verdict is <c>pipe</c>).</summary>
    Mirror,
}
