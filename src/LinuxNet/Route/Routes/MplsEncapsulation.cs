using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>MPLS encapsulation: push a label stack onto the route's packets (<c>encap mpls 100/200 [ttl N]</c>).</summary>
/// <remarks>
/// Kernel: <c>LWTUNNEL_ENCAP_MPLS</c> with <c>MPLS_IPTUNNEL_DST</c> (the stack, big-endian <c>struct mpls_label</c>s,
/// bottom-of-stack bit on the last) and <c>MPLS_IPTUNNEL_TTL</c>; needs <c>CONFIG_MPLS_IPTUNNEL</c>. On a kernel
/// without it, adding the route fails with <c>EOPNOTSUPP</c> ("lwt encapsulation type not supported"), which
/// <see cref="RouteManager"/> reports as not supported by this kernel.
/// </remarks>
public sealed class MplsEncapsulation : RouteEncapsulation
{
    // MAX_NEW_LABELS in net/mpls/internal.h.
    internal const int MaxLabels = 30;

    /// <summary>An MPLS encapsulation pushing <paramref name="labels"/> (outermost first).</summary>
    /// <param name="labels">Labels, 0 to 1,048,575 each, outermost first (<c>100/200</c>).</param>
    public MplsEncapsulation(params uint[] labels) => Labels = new List<uint>(labels ?? Array.Empty<uint>());

    /// <inheritdoc/>
    public override int KernelType => LinuxLwtunnel.LWTUNNEL_ENCAP_MPLS;

    /// <summary>The label stack, outermost first; 1 to 30 labels of 0 to 1,048,575 (2^20 − 1).</summary>
    public IList<uint> Labels { get; }

    /// <summary>The TTL of the pushed labels (<c>ttl</c>, 1–255), or <see langword="null"/> to propagate or use the default.</summary>
    public byte? Ttl { get; set; }

    internal override int MaxSize => 4 + 4 + 4 + (4 * MaxLabels) + 8 + 8;

    internal override void Validate(string parameterName)
    {
        ValidateLabels(Labels, parameterName, "encap mpls");
        if (Ttl == 0)
        {
            throw new ArgumentException("An MPLS encapsulation TTL is 1 to 255; 0 is refused by the kernel (leave Ttl null for the default).", parameterName);
        }
    }

    internal override void WriteBody(ref NetlinkMessageWriter writer)
    {
        WriteLabels(ref writer, LinuxLwtunnel.MPLS_IPTUNNEL_DST, Labels);
        if (Ttl is { } ttl)
        {
            writer.WriteUInt8(LinuxLwtunnel.MPLS_IPTUNNEL_TTL, ttl);
        }
    }

    /// <summary>Checks a label stack: 1 to 30 labels, each at most 2^20 − 1.</summary>
    internal static void ValidateLabels(IList<uint> labels, string parameterName, string what)
    {
        if (labels.Count is 0 or > MaxLabels)
        {
            throw new ArgumentException($"{what} takes 1 to {MaxLabels} labels, not {labels.Count}.", parameterName);
        }

        foreach (uint label in labels)
        {
            if (label > LinuxLwtunnel.MPLS_LABEL_MAX)
            {
                throw new ArgumentException($"The MPLS label {label} does not fit in 20 bits (at most {LinuxLwtunnel.MPLS_LABEL_MAX}).", parameterName);
            }
        }
    }

    /// <summary>Writes a label stack attribute (also <c>RTA_DST</c>/<c>RTA_NEWDST</c> of an MPLS route).</summary>
    internal static void WriteLabels(ref NetlinkMessageWriter writer, ushort type, IList<uint> labels)
    {
        var value = new byte[4 * MaxLabels];
        int count = Math.Min(labels.Count, MaxLabels);
        for (int i = 0; i < count; i++)
        {
            uint entry = (labels[i] << LinuxLwtunnel.MPLS_LS_LABEL_SHIFT) | (i == count - 1 ? LinuxLwtunnel.MPLS_LS_S_MASK : 0u);
            BinaryPrimitives.WriteUInt32BigEndian(value.AsSpan(4 * i), entry);
        }

        writer.WriteAttribute(type, value.AsSpan(0, 4 * count));
    }

    /// <summary>Reads a label stack attribute.</summary>
    internal static List<uint> ReadLabels(ReadOnlySpan<byte> value)
    {
        var labels = new List<uint>(value.Length / 4);
        for (int i = 0; i + 4 <= value.Length; i += 4)
        {
            labels.Add(BinaryPrimitives.ReadUInt32BigEndian(value.Slice(i)) >> LinuxLwtunnel.MPLS_LS_LABEL_SHIFT);
        }

        return labels;
    }

    internal static MplsEncapsulation Parse(ReadOnlySpan<byte> encap)
    {
        var result = new MplsEncapsulation();
        foreach (NetlinkAttribute attribute in new NetlinkAttributeEnumerator(encap))
        {
            switch (attribute.Type)
            {
                case LinuxLwtunnel.MPLS_IPTUNNEL_DST:
                    foreach (uint label in ReadLabels(attribute.Value))
                    {
                        result.Labels.Add(label);
                    }

                    break;
                case LinuxLwtunnel.MPLS_IPTUNNEL_TTL:
                    result.Ttl = attribute.GetUInt8();
                    break;
            }
        }

        return result;
    }

    /// <summary>Formats the encapsulation as <c>ip route</c> shows it: <c>mpls 100/200</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        var parts = new string[Labels.Count];
        for (int i = 0; i < parts.Length; i++)
        {
            parts[i] = Labels[i].ToString(CultureInfo.InvariantCulture);
        }

        return "mpls " + string.Join("/", parts) + (Ttl is { } ttl ? " ttl " + ttl.ToString(CultureInfo.InvariantCulture) : "");
    }
}
