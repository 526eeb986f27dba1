using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace LinuxNet.Route;

/// <summary>
/// An IPv4 or IPv6 address together with a prefix length, keeping the host bits: <c>198.51.100.7/24</c> is the
/// address 198.51.100.7 on the network 198.51.100.0/24 — what <c>ip addr add</c> takes and <c>ip addr show</c> prints.
/// </summary>
/// <remarks>
/// <para>
/// The text form is <c>ADDRESS/LENGTH</c>; a bare address means a host prefix (<c>/32</c> or <c>/128</c>). IPv4
/// addresses must be dotted quads and IPv6 addresses must not carry a scope id (<c>%eth0</c>): the kernel's prefixes have neither
/// short forms nor scopes. Prefix lengths are 0–32 for IPv4 and 0–128 for IPv6.
/// </para>
/// <para>
/// <see cref="Network"/> clears the host bits (<c>198.51.100.0/24</c>), which is what a route destination needs. On
/// .NET 10 the type converts to and from <c>System.Net.IPNetwork</c> (which holds no host bits); on netstandard2.0
/// these conversions do not exist because the framework type does not.
/// </para>
/// <para>The default value is <c>0.0.0.0/0</c>.</para>
/// </remarks>
public readonly struct IPPrefix : IEquatable<IPPrefix>, IFormattable
#if NET
    , ISpanFormattable
#endif
{
    private readonly IPAddress? _address;

    /// <summary>Creates a prefix from an address (host bits kept) and a prefix length.</summary>
    /// <param name="address">An IPv4 or IPv6 address, without an IPv6 scope id.</param>
    /// <param name="prefixLength">0–32 for IPv4, 0–128 for IPv6.</param>
    /// <exception cref="ArgumentNullException"><paramref name="address"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The address is neither IPv4 nor IPv6, or carries an IPv6 scope id.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="prefixLength"/> is out of range for the address family.</exception>
    public IPPrefix(IPAddress address, int prefixLength)
    {
        if (address is null)
        {
            throw new ArgumentNullException(nameof(address));
        }

        int max = MaxLength(address.AddressFamily);
        if (max < 0)
        {
            throw new ArgumentException($"Only IPv4 and IPv6 addresses have prefixes, not {address.AddressFamily}.", nameof(address));
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0)
        {
            throw new ArgumentException($"'{address}' carries a scope id; kernel prefixes have none (name the link separately).", nameof(address));
        }

        if (prefixLength < 0 || prefixLength > max)
        {
            throw new ArgumentOutOfRangeException(nameof(prefixLength), prefixLength, $"An {FamilyName(address.AddressFamily)} prefix length must be between 0 and {max}.");
        }

        _address = address;
        PrefixLength = prefixLength;
    }

    /// <summary>The address, host bits included.</summary>
    public IPAddress Address => _address ?? IPAddress.Any;

    /// <summary>The prefix length in bits.</summary>
    public int PrefixLength { get; }

    /// <summary><see cref="AddressFamily.InterNetwork"/> or <see cref="AddressFamily.InterNetworkV6"/>.</summary>
    public AddressFamily AddressFamily => Address.AddressFamily;

    /// <summary><see langword="true"/> when the prefix covers one address (<c>/32</c> or <c>/128</c>).</summary>
    public bool IsHost => PrefixLength == MaxLength(AddressFamily);

    /// <summary>The network: the same prefix with the host bits cleared (<c>198.51.100.7/24</c> → <c>198.51.100.0/24</c>).</summary>
    public IPPrefix Network => HasHostBits ? new IPPrefix(Mask(Address, PrefixLength, setHostBits: false), PrefixLength) : this;

    /// <summary><see langword="true"/> when any bit after the prefix is set in <see cref="Address"/>.</summary>
    public bool HasHostBits
    {
        get
        {
            byte[] bytes = Address.GetAddressBytes();
            for (int bit = PrefixLength; bit < bytes.Length * 8; bit++)
            {
                if ((bytes[bit / 8] & (0x80 >> (bit % 8))) != 0)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Whether <paramref name="address"/> lies inside this prefix's network.</summary>
    /// <param name="address">The address to test; an address of the other family is never contained.</param>
    /// <returns><see langword="true"/> when the first <see cref="PrefixLength"/> bits match.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="address"/> is <see langword="null"/>.</exception>
    public bool Contains(IPAddress address)
    {
        if (address is null)
        {
            throw new ArgumentNullException(nameof(address));
        }

        return address.AddressFamily == AddressFamily && Mask(address, PrefixLength, false).Equals(Network.Address);
    }

    /// <summary>Parses <c>ADDRESS/LENGTH</c> or a bare address (a host prefix).</summary>
    /// <param name="s">The text, e.g. <c>198.51.100.7/24</c> or <c>2001:db8::7/64</c>.</param>
    /// <returns>The prefix.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The text is not a valid prefix, or the length is out of range for its family.</exception>
    public static IPPrefix Parse(string s)
    {
        if (s is null)
        {
            throw new ArgumentNullException(nameof(s));
        }

        string? problem = TryParseCore(s, out IPPrefix result);
        return problem is null ? result : throw new FormatException($"'{s}' is not a valid IP prefix: {problem}.");
    }

    /// <summary>Parses <c>ADDRESS/LENGTH</c> or a bare address, without throwing.</summary>
    /// <param name="s">The text.</param>
    /// <param name="result">The prefix, or the default value when the text is not valid.</param>
    /// <returns><see langword="true"/> when the text is a valid prefix.</returns>
    public static bool TryParse(string? s, out IPPrefix result)
    {
        if (s is null)
        {
            result = default;
            return false;
        }

        return TryParseCore(s, out result) is null;
    }

    /// <summary>Formats as <c>ADDRESS/LENGTH</c>, host bits included (as <c>ip addr show</c> does).</summary>
    /// <returns>The text form.</returns>
    public override string ToString() => Address.ToString() + "/" + PrefixLength.ToString(CultureInfo.InvariantCulture);

    /// <summary>Formats as <c>ADDRESS/LENGTH</c>; the format and provider are ignored (the form is culture-invariant).</summary>
    /// <param name="format">Ignored.</param>
    /// <param name="formatProvider">Ignored.</param>
    /// <returns>The text form.</returns>
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <summary>Writes <c>ADDRESS/LENGTH</c> into <paramref name="destination"/>.</summary>
    /// <param name="destination">Where the characters go.</param>
    /// <param name="charsWritten">How many characters were written; 0 when they did not fit.</param>
    /// <param name="format">Ignored.</param>
    /// <param name="provider">Ignored.</param>
    /// <returns><see langword="true"/> when the text fit.</returns>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
#if NET
        if (Address.TryFormat(destination, out int used) && used < destination.Length)
        {
            destination[used++] = '/';
            if (PrefixLength.TryFormat(destination.Slice(used), out int digits, default, CultureInfo.InvariantCulture))
            {
                charsWritten = used + digits;
                return true;
            }
        }

        charsWritten = 0;
        return false;
#else
        string text = ToString();
        if (text.Length > destination.Length)
        {
            charsWritten = 0;
            return false;
        }

        text.AsSpan().CopyTo(destination);
        charsWritten = text.Length;
        return true;
#endif
    }

#if NET
    /// <summary>Converts to a <see cref="IPNetwork"/>, which has no host bits: <c>198.51.100.7/24</c> gives <c>198.51.100.0/24</c>.</summary>
    /// <returns>The network.</returns>
    /// <remarks>.NET 10 only: <see cref="IPNetwork"/> does not exist on netstandard2.0.</remarks>
    public IPNetwork ToIPNetwork() => new(Network.Address, PrefixLength);

    /// <summary>Converts a <see cref="IPNetwork"/> (base address and prefix length) to a prefix.</summary>
    /// <param name="network">The network.</param>
    /// <returns>The prefix <c>BASE/LENGTH</c>.</returns>
    /// <remarks>.NET 10 only: <see cref="IPNetwork"/> does not exist on netstandard2.0.</remarks>
    public static IPPrefix FromIPNetwork(IPNetwork network) => new(network.BaseAddress, network.PrefixLength);

    /// <summary>Converts a <see cref="IPNetwork"/> to a prefix (no information is lost).</summary>
    /// <param name="network">The network.</param>
    public static implicit operator IPPrefix(IPNetwork network) => FromIPNetwork(network);

    /// <summary>Converts a prefix to a <see cref="IPNetwork"/>, dropping the host bits.</summary>
    /// <param name="prefix">The prefix.</param>
    public static explicit operator IPNetwork(IPPrefix prefix) => prefix.ToIPNetwork();
#endif

    /// <summary>Whether both have the same address (host bits included) and prefix length.</summary>
    /// <param name="other">The other prefix.</param>
    /// <returns><see langword="true"/> when equal.</returns>
    public bool Equals(IPPrefix other) => PrefixLength == other.PrefixLength && Address.Equals(other.Address);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is IPPrefix other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Address, PrefixLength);

    /// <summary>Whether both prefixes are equal.</summary>
    /// <param name="left">The first prefix.</param>
    /// <param name="right">The second prefix.</param>
    public static bool operator ==(IPPrefix left, IPPrefix right) => left.Equals(right);

    /// <summary>Whether the prefixes differ.</summary>
    /// <param name="left">The first prefix.</param>
    /// <param name="right">The second prefix.</param>
    public static bool operator !=(IPPrefix left, IPPrefix right) => !left.Equals(right);

    internal static int MaxLength(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => 32,
        AddressFamily.InterNetworkV6 => 128,
        _ => -1,
    };

    internal static string FamilyName(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";

    internal static IPAddress Mask(IPAddress address, int prefixLength, bool setHostBits)
    {
        byte[] bytes = address.GetAddressBytes();
        for (int bit = prefixLength; bit < bytes.Length * 8; bit++)
        {
            int mask = 0x80 >> (bit % 8);
            bytes[bit / 8] = (byte)(setHostBits ? bytes[bit / 8] | mask : bytes[bit / 8] & ~mask);
        }

        return new IPAddress(bytes);
    }

    private static string? TryParseCore(string s, out IPPrefix result)
    {
        result = default;
        if (s.Length == 0)
        {
            return "it is empty";
        }

        int slash = s.IndexOf('/');
        string addressText = slash < 0 ? s : s.Substring(0, slash);
        AddressFamily family;
        if (addressText.IndexOf(':') >= 0)
        {
            if (addressText.IndexOf('%') >= 0)
            {
                return "an IPv6 scope id is not allowed";
            }

            family = AddressFamily.InterNetworkV6;
        }
        else if (!IsDottedQuad(addressText))
        {
            return "the address is neither a dotted-quad IPv4 address nor an IPv6 address";
        }
        else
        {
            family = AddressFamily.InterNetwork;
        }

        foreach (char c in addressText)
        {
            if (char.IsWhiteSpace(c))
            {
                return "it contains whitespace";
            }
        }

        if (!IPAddress.TryParse(addressText, out IPAddress? address) || address.AddressFamily != family)
        {
            return "the address is not valid";
        }

        int max = MaxLength(family);
        int length = max;
        if (slash >= 0)
        {
            string lengthText = s.Substring(slash + 1);
            if (lengthText.Length is 0 or > 3)
            {
                return "the prefix length is missing or too long";
            }

            length = 0;
            foreach (char c in lengthText)
            {
                if (c is < '0' or > '9')
                {
                    return "the prefix length is not a decimal number";
                }

                length = (length * 10) + (c - '0');
            }

            if (length > max)
            {
                return $"an {FamilyName(family)} prefix length must be between 0 and {max}, not {length}";
            }
        }

        result = new IPPrefix(address, length);
        return null;
    }

    private static bool IsDottedQuad(string text)
    {
        int parts = 0;
        int digits = 0;
        int value = 0;
        foreach (char c in text)
        {
            if (c == '.')
            {
                if (digits == 0)
                {
                    return false;
                }

                parts++;
                digits = 0;
                value = 0;
            }
            else if (c is >= '0' and <= '9')
            {
                value = (value * 10) + (c - '0');
                if (++digits > 3 || value > 255)
                {
                    return false;
                }
            }
            else
            {
                return false;
            }
        }

        return parts == 3 && digits > 0;
    }
}
