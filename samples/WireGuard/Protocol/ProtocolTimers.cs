namespace LinuxNet.Samples.WireGuard.Protocol;

/// <summary>
/// The whitepaper's timer and message limits (section 6.1). The defaults are the whitepaper's; tests shorten them.
/// </summary>
public sealed record ProtocolTimers
{
    /// <summary>After this many messages a session's sender starts a new handshake.</summary>
    public ulong RekeyAfterMessages { get; init; } = 1UL << 60;

    /// <summary>No message is sent or accepted with a counter this high or higher.</summary>
    public ulong RejectAfterMessages { get; init; } = ulong.MaxValue - (1UL << 13);

    /// <summary>The initiator of a session starts a new handshake when it sends on a session this old.</summary>
    public TimeSpan RekeyAfterTime { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>A session this old is neither used nor accepted; after three times this with no handshake, all keys are erased.</summary>
    public TimeSpan RejectAfterTime { get; init; } = TimeSpan.FromSeconds(180);

    /// <summary>Handshake retries stop after this long.</summary>
    public TimeSpan RekeyAttemptTime { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>An initiation without response is resent after this (plus up to <see cref="MaxJitter"/>).</summary>
    public TimeSpan RekeyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A keepalive goes out when data was received and nothing sent for this long.</summary>
    public TimeSpan KeepaliveTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a cookie (and a cookie secret) is valid.</summary>
    public TimeSpan CookieRefreshTime { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Random extra delay of each handshake retry (0 – 333 ms in wireguard-go).</summary>
    public TimeSpan MaxJitter { get; init; } = TimeSpan.FromMilliseconds(333);

    /// <summary>The responder accepts at most one initiation per peer this often (wireguard-go: 1/50 s).</summary>
    public TimeSpan InitiationMinInterval { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>More handshake messages per second than this put the device under load: it answers with cookie replies. 0 = always under load (tests).</summary>
    public int UnderLoadHandshakesPerSecond { get; init; } = 64;

    /// <summary>How often the timer worker looks at the peers.</summary>
    public TimeSpan TimerTick { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The whitepaper's defaults.</summary>
    public static ProtocolTimers Default { get; } = new();
}
