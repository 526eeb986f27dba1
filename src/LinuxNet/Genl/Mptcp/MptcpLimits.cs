namespace LinuxNet.Genl.Mptcp;

/// <summary>The path manager's limits per connection, as <c>ip mptcp limits show</c> prints them.</summary>
public sealed class MptcpLimits
{
    /// <summary>The most additional subflows per connection (<c>subflows</c>); <see langword="null"/> leaves it unchanged.</summary>
    public uint? Subflows { get; init; }

    /// <summary>The most addresses accepted from the peer's announcements (<c>add_addr_accepted</c>); <see langword="null"/> leaves it unchanged.</summary>
    public uint? AcceptedAddresses { get; init; }

    /// <inheritdoc/>
    public override string ToString() => $"add_addr_accepted {AcceptedAddresses} subflows {Subflows}";
}
