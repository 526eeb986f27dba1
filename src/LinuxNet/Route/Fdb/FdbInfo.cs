using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Text;

namespace LinuxNet.Route;

/// <summary>One forwarding database entry as the kernel reports it: one line of <c>bridge fdb show</c>.</summary>
public sealed class FdbInfo
{
    internal FdbInfo(int linkIndex, PhysicalAddress address, NeighbourStates state, FdbFlags flags)
    {
        LinkIndex = linkIndex;
        Address = address;
        State = state;
        Flags = flags;
    }

    /// <summary>The port or device the entry is on (<c>dev</c>). Kernel: <c>ndm_ifindex</c>.</summary>
    public int LinkIndex { get; }

    /// <summary>The MAC address (<c>mac</c>). Kernel: NDA_LLADDR.</summary>
    public PhysicalAddress Address { get; }

    /// <summary>The kernel's state bits: <see cref="NeighbourStates.Permanent"/> (<c>permanent</c>), <see cref="NeighbourStates.NoArp"/> (<c>static</c>), <see cref="NeighbourStates.Stale"/> (<c>stale</c>) or <see cref="NeighbourStates.Reachable"/> (a dynamic entry, shown without a state). Kernel: <c>ndm_state</c>.</summary>
    public NeighbourStates State { get; }

    /// <summary>The entry's kind as <c>bridge fdb add</c> takes it: permanent, static or dynamic (any other state).</summary>
    public FdbEntryState EntryState => (State & NeighbourStates.Permanent) != 0 ? FdbEntryState.Permanent
        : (State & NeighbourStates.NoArp) != 0 ? FdbEntryState.Static
        : FdbEntryState.Dynamic;

    /// <summary>The flags (<c>self</c>, <c>extern_learn</c>, <c>offload</c>, <c>sticky</c>…). Kernel: <c>ndm_flags</c>.</summary>
    public FdbFlags Flags { get; }

    /// <summary>The index of the bridge whose table holds the entry (<c>master</c>), or 0. Kernel: NDA_MASTER.</summary>
    public int MasterIndex { get; internal set; }

    /// <summary>The VLAN (<c>vlan</c>), or <see langword="null"/>. Kernel: NDA_VLAN.</summary>
    public ushort? Vlan { get; internal set; }

    /// <summary>The remote VTEP of a vxlan entry (<c>dst</c>), or <see langword="null"/>. Kernel: NDA_DST.</summary>
    public IPAddress? Destination { get; internal set; }

    /// <summary>The VNI (<c>vni</c>) when it differs from the device's, or <see langword="null"/>. Kernel: NDA_VNI.</summary>
    public uint? Vni { get; internal set; }

    /// <summary>The UDP destination port (<c>port</c>) when it differs from the device's, or <see langword="null"/>. Kernel: NDA_PORT.</summary>
    public ushort? Port { get; internal set; }

    /// <summary>The index of the device <see cref="Destination"/> is reached through (<c>via</c>), or 0. Kernel: NDA_IFINDEX.</summary>
    public int ViaIndex { get; internal set; }

    /// <summary>The source VNI (<c>src_vni</c>), or <see langword="null"/>. Kernel: NDA_SRC_VNI.</summary>
    public uint? SourceVni { get; internal set; }

    /// <summary>The nexthop group id of the entry (<c>nhid</c>), or <see langword="null"/>. Kernel: NDA_NH_ID.</summary>
    public uint? NextHopId { get; internal set; }

    /// <summary>The state as <c>bridge fdb show</c> words it: <c>permanent</c>, <c>static</c>, <c>stale</c>, or empty for a dynamic entry.</summary>
    public string StateName => (State & NeighbourStates.Permanent) != 0 ? "permanent"
        : (State & NeighbourStates.NoArp) != 0 ? "static"
        : (State & NeighbourStates.Stale) != 0 ? "stale"
        : (State & NeighbourStates.Reachable) != 0 ? string.Empty
        : "state=0x" + ((int)State).ToString("x", CultureInfo.InvariantCulture);

    /// <summary>Formats the entry like <c>bridge fdb show</c>, with indexes for names: <c>02:00:00:00:00:01 dev #6 master #4 static</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        var text = new StringBuilder(NeighbourMessage.FormatMac(Address)).Append(" dev #").Append(LinkIndex.ToString(CultureInfo.InvariantCulture));
        if (Vlan is { } vlan)
        {
            text.Append(" vlan ").Append(vlan.ToString(CultureInfo.InvariantCulture));
        }

        if (Destination is { } destination)
        {
            text.Append(" dst ").Append(destination);
        }

        if ((Flags & FdbFlags.Self) != 0)
        {
            text.Append(" self");
        }

        if (MasterIndex != 0)
        {
            text.Append(" master #").Append(MasterIndex.ToString(CultureInfo.InvariantCulture));
        }

        return StateName.Length == 0 ? text.ToString() : text.Append(' ').Append(StateName).ToString();
    }
}
