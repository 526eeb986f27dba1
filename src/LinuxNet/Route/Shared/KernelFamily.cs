using System;
using System.Net;
using System.Net.Sockets;

namespace LinuxNet.Route;

/// <summary>Converts between .NET <see cref="AddressFamily"/> values and the kernel's AF_* numbers.</summary>
internal static class KernelFamily
{
    internal static byte ToKernel(AddressFamily family) => family switch
    {
        AddressFamily.Unspecified => LinuxSocket.AF_UNSPEC,
        AddressFamily.InterNetwork => LinuxSocket.AF_INET,
        AddressFamily.InterNetworkV6 => LinuxSocket.AF_INET6,
        _ => throw new ArgumentException($"Only IPv4 (InterNetwork) and IPv6 (InterNetworkV6) are supported, not {family}.", nameof(family)),
    };

    internal static AddressFamily FromKernel(byte family) => family switch
    {
        LinuxSocket.AF_INET => AddressFamily.InterNetwork,
        LinuxSocket.AF_INET6 => AddressFamily.InterNetworkV6,
        _ => AddressFamily.Unspecified,
    };

    internal static int MaxPrefixLength(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? 128 : 32;

    /// <summary>Rejects a null, unspecified or non-IP address with <see cref="ArgumentException"/>.</summary>
    internal static void ValidateAddress(IPAddress? address, string parameterName, bool allowUnspecified = false)
    {
        if (address is null)
        {
            throw new ArgumentNullException(parameterName);
        }

        if (address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"'{address}' is not an IPv4 or IPv6 address.", parameterName);
        }

        if (!allowUnspecified && (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)))
        {
            throw new ArgumentException($"'{address}' is the unspecified address.", parameterName);
        }
    }

    /// <summary>Rejects a prefix length outside 0..32 (IPv4) or 0..128 (IPv6).</summary>
    internal static void ValidatePrefixLength(AddressFamily family, int prefixLength, string parameterName)
    {
        int max = MaxPrefixLength(family);
        if (prefixLength < 0 || prefixLength > max)
        {
            throw new ArgumentOutOfRangeException(parameterName, prefixLength, $"A {(max == 32 ? "IPv4" : "IPv6")} prefix length must be between 0 and {max}.");
        }
    }
}
