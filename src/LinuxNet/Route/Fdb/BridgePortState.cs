namespace LinuxNet.Route;

/// <summary>The spanning tree state of a bridge port (<c>bridge link … state</c>). Kernel: <c>BR_STATE_*</c>, <c>IFLA_BRPORT_STATE</c>.</summary>
public enum BridgePortState : byte
{
    /// <summary><c>disabled</c> (0).</summary>
    Disabled = 0,

    /// <summary><c>listening</c> (1).</summary>
    Listening = 1,

    /// <summary><c>learning</c> (2): learns addresses, forwards nothing.</summary>
    Learning = 2,

    /// <summary><c>forwarding</c> (3).</summary>
    Forwarding = 3,

    /// <summary><c>blocking</c> (4).</summary>
    Blocking = 4,
}
