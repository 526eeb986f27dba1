namespace LinuxNet.Tun.Offload;

/// <summary>What <see cref="GroCoalescer.Add"/> did with a packet.</summary>
public enum GroAddResult
{
    /// <summary>The packet was taken: appended to the pending super-frame, or started a new one.</summary>
    Added,

    /// <summary>
    /// The packet was not taken because it does not continue the pending super-frame (another flow, a sequence gap,
    /// different headers, no room left). Write <see cref="GroCoalescer.Flush"/>'s frame, then add the packet again.
    /// </summary>
    FlushRequired,

    /// <summary>
    /// The packet can never be coalesced (not TCP, a control segment, no payload, IP options, extension headers, a
    /// bad checksum…). It was not taken: flush the pending frame first to keep the order, then write the packet
    /// unchanged behind a <see cref="VirtioNetHeader.None"/> header (<see cref="GroCoalescer.WritePassThrough"/>).
    /// </summary>
    NotCoalescable,
}
