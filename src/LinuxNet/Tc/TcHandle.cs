using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace LinuxNet.Tc;

/// <summary>
/// A traffic control handle or parent (<c>tcm_handle</c>, <c>tcm_parent</c>, a class id): a 16-bit major and a 16-bit
/// minor, written by <c>tc</c> as hexadecimal <c>MAJ:MIN</c> (<c>1:</c>, <c>1:10</c>, <c>ffff:</c>), or one of the
/// names <c>root</c>, <c>none</c>, <c>ingress</c> and <c>clsact</c>.
/// </summary>
/// <remarks>
/// <see cref="Parse(string)"/> accepts what <c>tc</c>'s <c>get_tc_classid</c> accepts plus the qdisc parents
/// <c>ingress</c>/<c>clsact</c>; <see cref="ToString"/> prints what <c>tc</c>'s <c>sprint_tc_classid</c> prints
/// (<c>root</c>, <c>none</c>, <c>1:</c>, <c>1:10</c>, <c>:10</c>, <c>ffff:fff1</c>).
/// </remarks>
public readonly struct TcHandle : IEquatable<TcHandle>
{
    /// <summary>A handle from its 32-bit value.</summary>
    /// <param name="value">The value, major in the upper 16 bits.</param>
    public TcHandle(uint value) => Value = value;

    /// <summary>A handle from its major and minor numbers.</summary>
    /// <param name="major">The major number (<c>1</c> in <c>1:10</c>).</param>
    /// <param name="minor">The minor number (<c>0x10</c> in <c>1:10</c>).</param>
    public TcHandle(ushort major, ushort minor) => Value = ((uint)major << 16) | minor;

    /// <summary>No handle (<c>TC_H_UNSPEC</c>, printed <c>none</c>): let the kernel choose, or match any.</summary>
    public static TcHandle None => default;

    /// <summary>The root of a device's egress tree (<c>TC_H_ROOT</c>, <c>root</c>).</summary>
    public static TcHandle Root => new(LinuxPktSched.TC_H_ROOT);

    /// <summary>The parent of an <c>ingress</c> or <c>clsact</c> qdisc (<c>TC_H_INGRESS</c>, printed <c>ffff:fff1</c>).</summary>
    public static TcHandle Ingress => new(LinuxPktSched.TC_H_INGRESS);

    /// <summary>The same value as <see cref="Ingress"/> (<c>TC_H_CLSACT</c>).</summary>
    public static TcHandle Clsact => new(LinuxPktSched.TC_H_CLSACT);

    /// <summary>The handle an <c>ingress</c>/<c>clsact</c> qdisc takes (<c>ffff:</c>).</summary>
    public static TcHandle IngressQdisc => new(0xFFFF, 0);

    /// <summary>Where filters of the ingress hook attach (<c>tc filter … ingress</c>: <c>ffff:fff2</c>).</summary>
    public static TcHandle IngressFilters => new(0xFFFF, (ushort)LinuxPktSched.TC_H_MIN_INGRESS);

    /// <summary>Where filters of a <c>clsact</c> qdisc's egress hook attach (<c>tc filter … egress</c>: <c>ffff:fff3</c>).</summary>
    public static TcHandle EgressFilters => new(0xFFFF, (ushort)LinuxPktSched.TC_H_MIN_EGRESS);

    /// <summary>The 32-bit value the kernel sees.</summary>
    public uint Value { get; }

    /// <summary>The major number (upper 16 bits).</summary>
    public ushort Major => (ushort)(Value >> 16);

    /// <summary>The minor number (lower 16 bits).</summary>
    public ushort Minor => (ushort)Value;

    /// <summary>Parses a handle as <c>tc</c> does: <c>root</c>, <c>none</c>, <c>ingress</c>, <c>clsact</c>, <c>MAJ:</c>, <c>MAJ:MIN</c>, <c>:MIN</c> or a bare hexadecimal value.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">Not a handle (e.g. <c>1:2:3</c>, <c>10000:</c>, <c>1:10000</c>).</exception>
    public static TcHandle Parse(string text)
    {
        if (text is null)
        {
            throw new ArgumentNullException(nameof(text));
        }

        return TryParse(text, out TcHandle handle)
            ? handle
            : throw new FormatException($"'{text}' is not a traffic control handle (MAJ:MIN in hexadecimal, each at most ffff, or root, none, ingress, clsact).");
    }

    /// <summary>Parses a handle as <see cref="Parse(string)"/> does, without throwing.</summary>
    /// <param name="text">The text.</param>
    /// <param name="handle">The handle, or <see cref="None"/>.</param>
    /// <returns>Whether <paramref name="text"/> is a handle.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, out TcHandle handle)
    {
        handle = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        switch (text)
        {
            case "root":
                handle = Root;
                return true;
            case "none":
                return true;
            case "ingress":
            case "clsact":
                handle = Ingress;
                return true;
        }

        int colon = text!.IndexOf(':');
        if (colon < 0)
        {
            if (!TryHex(text, 0, text.Length, uint.MaxValue, out uint whole))
            {
                return false;
            }

            handle = new TcHandle(whole);
            return true;
        }

        uint major = 0;
        if ((colon > 0 && !TryHex(text, 0, colon, 0xFFFF, out major))
            || !TryHex(text, colon + 1, text.Length - colon - 1, 0xFFFF, out uint minor, allowEmpty: true))
        {
            return false;
        }

        handle = new TcHandle((major << 16) | minor);
        return true;
    }

    /// <summary>Formats the handle as <c>tc</c> prints it: <c>root</c>, <c>none</c>, <c>1:</c>, <c>1:10</c>, <c>:10</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        if (Value == LinuxPktSched.TC_H_ROOT)
        {
            return "root";
        }

        if (Value == 0)
        {
            return "none";
        }

        if (Major == 0)
        {
            return ":" + Minor.ToString("x", CultureInfo.InvariantCulture);
        }

        return Minor == 0
            ? Major.ToString("x", CultureInfo.InvariantCulture) + ":"
            : Major.ToString("x", CultureInfo.InvariantCulture) + ":" + Minor.ToString("x", CultureInfo.InvariantCulture);
    }

    /// <inheritdoc/>
    public bool Equals(TcHandle other) => Value == other.Value;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is TcHandle other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => (int)Value;

    /// <summary>Compares two handles.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(TcHandle left, TcHandle right) => left.Equals(right);

    /// <summary>Compares two handles.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(TcHandle left, TcHandle right) => !left.Equals(right);

    // strtoul(…, 16) up to the colon or the end; tc refuses a major or minor of 0x10000 and more.
    private static bool TryHex(string text, int start, int length, uint max, out uint value, bool allowEmpty = false)
    {
        value = 0;
        if (length == 0)
        {
            return allowEmpty;
        }

        int i = start;
        if (length > 2 && text[i] == '0' && (text[i + 1] == 'x' || text[i + 1] == 'X'))
        {
            i += 2;
        }

        ulong result = 0;
        for (; i < start + length; i++)
        {
            int digit = HexDigit(text[i]);
            if (digit < 0)
            {
                return false;
            }

            result = (result << 4) | (uint)digit;
            if (result > max)
            {
                return false;
            }
        }

        value = (uint)result;
        return true;
    }

    private static int HexDigit(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
