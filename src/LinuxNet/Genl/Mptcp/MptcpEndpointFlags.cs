using System;

namespace LinuxNet.Genl.Mptcp;

/// <summary>What an MPTCP endpoint is used for (<c>MPTCP_PM_ADDR_FLAG_*</c>), as <c>ip mptcp endpoint</c> names them.</summary>
[Flags]
public enum MptcpEndpointFlags
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary>Announce the address to the peer (<c>signal</c>).</summary>
    Signal = 1 << 0,

    /// <summary>Open a subflow from the address (<c>subflow</c>).</summary>
    Subflow = 1 << 1,

    /// <summary>Subflows over it are backups (<c>backup</c>).</summary>
    Backup = 1 << 2,

    /// <summary>Open a subflow to every announced peer address (<c>fullmesh</c>).</summary>
    Fullmesh = 1 << 3,

    /// <summary>Created by the kernel for an address a peer used (<c>implicit</c>); read only.</summary>
    Implicit = 1 << 4,
}
