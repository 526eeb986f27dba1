using System.Text;

namespace LinuxNet;

/// <summary>A NUL-terminated UTF-8 copy of a string, for libc calls that take <c>const char*</c>.</summary>
internal readonly struct Utf8Z
{
    internal Utf8Z(string value)
    {
        int count = Encoding.UTF8.GetByteCount(value);
        byte[] bytes = new byte[count + 1];
        Encoding.UTF8.GetBytes(value, 0, value.Length, bytes, 0);
        Bytes = bytes;
    }

    internal byte[] Bytes { get; }
}
