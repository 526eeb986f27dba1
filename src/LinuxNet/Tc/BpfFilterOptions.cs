using System;
using System.Collections.Generic;
using LinuxNet.Netlink;

namespace LinuxNet.Tc;

/// <summary>A bpf filter as the kernel reports it (<c>bpf name NAME direct-action not_in_hw id 12 tag …</c>).</summary>
public sealed class BpfFilterOptions : TcOptions
{
    private BpfFilterOptions()
    {
    }

    /// <summary>The name given when it was added (<c>TCA_BPF_NAME</c>), or <see langword="null"/>.</summary>
    public string? Name { get; private set; }

    /// <summary>Whether the program's return value is the verdict (<c>direct-action</c>).</summary>
    public bool DirectAction { get; private set; }

    /// <summary>The program's id (<c>id</c>), or <see langword="null"/>.</summary>
    public uint? ProgramId { get; private set; }

    /// <summary>The program's tag, in hexadecimal (<c>tag</c>), or <see langword="null"/>.</summary>
    public string? Tag { get; private set; }

    /// <summary>The class matched packets go to, or <see langword="null"/>.</summary>
    public TcHandle? ClassId { get; private set; }

    /// <summary>The classifier flags (<c>TCA_CLS_FLAGS_*</c>), or <see langword="null"/>.</summary>
    public uint? Flags { get; private set; }

    /// <summary>The actions run on a match.</summary>
    public IReadOnlyList<TcActionInfo> Actions { get; private set; } = Array.Empty<TcActionInfo>();

    internal static BpfFilterOptions Parse(NetlinkAttribute options)
    {
        var result = new BpfFilterOptions();
        foreach (NetlinkAttribute attribute in options.EnumerateNested())
        {
            switch (attribute.Type)
            {
                case LinuxPktCls.TCA_BPF_NAME:
                    result.Name = attribute.GetString();
                    break;
                case LinuxPktCls.TCA_BPF_FLAGS:
                    result.DirectAction = (attribute.GetUInt32() & LinuxPktCls.TCA_BPF_FLAG_ACT_DIRECT) != 0;
                    break;
                case LinuxPktCls.TCA_BPF_FLAGS_GEN:
                    result.Flags = attribute.GetUInt32();
                    break;
                case LinuxPktCls.TCA_BPF_ID:
                    result.ProgramId = attribute.GetUInt32();
                    break;
                case LinuxPktCls.TCA_BPF_TAG:
                    result.Tag = Hex(attribute.Value);
                    break;
                case LinuxPktCls.TCA_BPF_CLASSID:
                    result.ClassId = new TcHandle(attribute.GetUInt32());
                    break;
                case LinuxPktCls.TCA_BPF_ACT:
                    result.Actions = TcActionInfo.ParseList(attribute);
                    break;
            }
        }

        return result;
    }

    private static string Hex(ReadOnlySpan<byte> bytes)
    {
        var text = new System.Text.StringBuilder(bytes.Length * 2);
        foreach (byte b in bytes)
        {
            text.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }
}
