using System.Buffers.Binary;
using LinuxNet.Netlink;

namespace LinuxNet.Tc;

/// <summary>
/// One filter node, as <c>tc [-s] filter show dev DEV parent P</c> lists it. A u32 filter shows as several nodes:
/// its priority's head, its hash table (<c>fh 800:</c>) and one per key (<c>fh 800::800</c>), as tc lists them.
/// </summary>
public sealed class TcFilterInfo
{
    private TcFilterInfo()
    {
    }

    /// <summary>The device's interface index.</summary>
    public int LinkIndex { get; private set; }

    /// <summary>The kind (<c>u32</c>, <c>bpf</c>). Kernel: <c>TCA_KIND</c>.</summary>
    public string Kind { get; private set; } = string.Empty;

    /// <summary>The qdisc or class the filter is attached to.</summary>
    public TcHandle Parent { get; private set; }

    /// <summary>The priority (<c>pref</c>).</summary>
    public ushort Priority { get; private set; }

    /// <summary>The protocol matched.</summary>
    public TcProtocol Protocol { get; private set; }

    /// <summary>The node's handle (<c>fh</c>: u32's <c>800::800</c> is 0x80000800), 0 for a priority's head.</summary>
    public uint Handle { get; private set; }

    /// <summary>The filter chain (<c>chain</c>), or <see langword="null"/> if not reported.</summary>
    public uint? Chain { get; private set; }

    /// <summary>The kind's options (<see cref="U32FilterOptions"/>, <see cref="BpfFilterOptions"/>), or <see langword="null"/> for a priority's head.</summary>
    public TcOptions? Options { get; private set; }

    /// <summary>The one decoder of <c>RTM_NEWTFILTER</c>/<c>RTM_DELTFILTER</c>; <see langword="null"/> for other messages.</summary>
    internal static TcFilterInfo? Parse(NetlinkMessage message)
    {
        if (message.Type is not (LinuxPktSched.RTM_NEWTFILTER or LinuxPktSched.RTM_DELTFILTER))
        {
            return null;
        }

        TcMsg header = message.ReadHeader<TcMsg>();
        var info = new TcFilterInfo
        {
            LinkIndex = header.Index,
            Parent = new TcHandle(header.Parent),
            Handle = header.Handle,
            Priority = (ushort)(header.Info >> 16),
            Protocol = (TcProtocol)BinaryPrimitives.ReverseEndianness((ushort)header.Info),
        };
        foreach (NetlinkAttribute attribute in message.GetAttributes<TcMsg>())
        {
            switch (attribute.Type)
            {
                case LinuxPktSched.TCA_KIND:
                    info.Kind = attribute.GetString();
                    break;
                case LinuxPktSched.TCA_CHAIN:
                    info.Chain = attribute.GetUInt32();
                    break;
                case LinuxPktSched.TCA_OPTIONS:
                    info.Options = info.Kind switch
                    {
                        "u32" => U32FilterOptions.Parse(attribute),
                        "bpf" => BpfFilterOptions.Parse(attribute),
                        _ => null,
                    };
                    break;
            }
        }

        return info;
    }
}
