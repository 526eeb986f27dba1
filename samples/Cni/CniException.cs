namespace LinuxNet.Samples.Cni;

/// <summary>A failure reported to the runtime as the spec's error JSON: <c>{"cniVersion","code","msg","details"}</c>.</summary>
internal sealed class CniException : Exception
{
    public CniException(uint code, string message, string? details = null, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
        Details = details;
    }

    public uint Code { get; }

    public string? Details { get; }
}
