namespace LinuxNet.Route;

/// <summary>An intermediate functional block device, for ingress shaping (<c>ip link add NAME type ifb</c>).</summary>
public sealed class IfbLinkSpec : LinkSpec
{
    /// <summary>Describes a ifb device.</summary>
    /// <param name="name">The new device's name.</param>
    public IfbLinkSpec(string name)
        : base(name)
    {
    }

    /// <inheritdoc/>
    public override string Kind => "ifb";
}
