namespace LinuxNet.Route;

/// <summary>A dummy device that drops everything sent to it (<c>ip link add NAME type dummy</c>).</summary>
/// <remarks>Needs the <c>dummy</c> module; without it <see cref="LinkManager.Add(LinkSpec)"/> throws a not-supported error.</remarks>
public sealed class DummyLinkSpec : LinkSpec
{
    /// <summary>Describes a dummy device.</summary>
    /// <param name="name">The new device's name.</param>
    public DummyLinkSpec(string name)
        : base(name)
    {
    }

    /// <inheritdoc/>
    public override string Kind => "dummy";
}
