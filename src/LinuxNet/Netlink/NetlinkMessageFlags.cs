using System;

namespace LinuxNet.Netlink;

/// <summary>The <c>nlmsg_flags</c> bits of a netlink message header (<c>/usr/include/linux/netlink.h</c>).</summary>
/// <remarks>Several bits mean different things on requests that create (<see cref="Replace"/>…) and on dumps (<see cref="Root"/>…).</remarks>
[Flags]
public enum NetlinkMessageFlags : ushort
{
    /// <summary>No flags.</summary>
    None = 0,
    /// <summary>A request (<c>NLM_F_REQUEST</c>).</summary>
    Request = 0x01,
    /// <summary>Part of a multipart reply ended by <c>NLMSG_DONE</c> (<c>NLM_F_MULTI</c>).</summary>
    Multi = 0x02,
    /// <summary>Ask for an acknowledgement (<c>NLM_F_ACK</c>).</summary>
    Ack = 0x04,
    /// <summary>Echo the request to the sender's multicast groups (<c>NLM_F_ECHO</c>).</summary>
    Echo = 0x08,
    /// <summary>The dump was interrupted by a change and is inconsistent (<c>NLM_F_DUMP_INTR</c>).</summary>
    DumpInterrupted = 0x10,
    /// <summary>The dump was filtered as requested (<c>NLM_F_DUMP_FILTERED</c>).</summary>
    DumpFiltered = 0x20,
    /// <summary>Return the whole table (<c>NLM_F_ROOT</c>, on GET requests).</summary>
    Root = 0x100,
    /// <summary>Return all matching entries (<c>NLM_F_MATCH</c>, on GET requests).</summary>
    Match = 0x200,
    /// <summary>Atomic dump (<c>NLM_F_ATOMIC</c>, on GET requests).</summary>
    Atomic = 0x400,
    /// <summary>A dump: <see cref="Root"/> | <see cref="Match"/> (<c>NLM_F_DUMP</c>).</summary>
    Dump = Root | Match,
    /// <summary>Replace an existing object (<c>NLM_F_REPLACE</c>, on NEW requests).</summary>
    Replace = 0x100,
    /// <summary>Fail if the object exists (<c>NLM_F_EXCL</c>, on NEW requests).</summary>
    Exclusive = 0x200,
    /// <summary>Create the object if it does not exist (<c>NLM_F_CREATE</c>, on NEW requests).</summary>
    Create = 0x400,
    /// <summary>Add to the end of the list (<c>NLM_F_APPEND</c>, on NEW requests).</summary>
    Append = 0x800,
    /// <summary>On an error reply: the echoed request is cut to its header (<c>NLM_F_CAPPED</c>).</summary>
    Capped = 0x100,
    /// <summary>On an error reply: extended-ack attributes follow (<c>NLM_F_ACK_TLVS</c>).</summary>
    AckTlvs = 0x200,
}
