namespace LinuxNet.Samples.WireGuard.Protocol;

/// <summary>What <see cref="CookieChecker.Check"/> found on a handshake message.</summary>
public enum MacCheck
{
    /// <summary>mac1 is wrong: drop the message silently.</summary>
    Invalid,

    /// <summary>mac1 is right; mac2 was not checked or is wrong (not under load: process the message).</summary>
    Mac1Valid,

    /// <summary>mac1 and mac2 are right (the sender proved its address: process it even under load).</summary>
    Mac2Valid,
}
