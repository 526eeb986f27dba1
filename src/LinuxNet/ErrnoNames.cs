using System;

namespace LinuxNet;

internal static class ErrnoNames
{
    internal static string GetName(Errno errno)
        => Enum.IsDefined(typeof(Errno), errno) ? errno.ToString() : "errno " + ((int)errno).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
