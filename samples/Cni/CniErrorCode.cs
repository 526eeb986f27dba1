namespace LinuxNet.Samples.Cni;

/// <summary>The error codes of the CNI specification ("Error" section); 100 and up are the plugin's own.</summary>
internal static class CniErrorCode
{
    public const uint IncompatibleVersion = 1;
    public const uint UnsupportedField = 2;
    public const uint UnknownContainer = 3;
    public const uint InvalidEnvironment = 4;
    public const uint IOFailure = 5;
    public const uint DecodingFailure = 6;
    public const uint InvalidNetworkConfig = 7;
    public const uint TryAgainLater = 11;
    public const uint NotAvailable = 50;

    /// <summary>What the reference plugins report for everything else (libcni's <c>types.ErrInternal</c>).</summary>
    public const uint Internal = 999;
}
