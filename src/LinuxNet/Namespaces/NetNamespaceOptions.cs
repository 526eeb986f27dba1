using Microsoft.Extensions.Logging;

namespace LinuxNet.Namespaces;

/// <summary>Options for opening or creating a <see cref="NetNamespace"/>.</summary>
public sealed class NetNamespaceOptions
{
    /// <summary>
    /// The logger factory for lifecycle events (category <c>LinuxNet.Namespaces.NetNamespace</c>, event IDs
    /// 1300–1399). <see langword="null"/> (the default) logs nothing.
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}
