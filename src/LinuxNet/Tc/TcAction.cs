using LinuxNet.Netlink;
using LinuxNet.Route;

namespace LinuxNet.Tc;

/// <summary>An action a filter runs on a match (<c>action KIND …</c>): <see cref="MirredAction"/>.</summary>
public abstract class TcAction
{
    private protected TcAction()
    {
    }

    /// <summary>The kind, as <c>tc</c> names it (<c>mirred</c>). Kernel: <c>TCA_ACT_KIND</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>The device the action needs resolved to an index before sending, if any.</summary>
    internal virtual LinkReference? Target => null;

    /// <summary>Checks the options; throws <see cref="System.ArgumentException"/> for a bad value.</summary>
    internal virtual void Validate()
    {
    }

    /// <summary>Writes the action's <c>TCA_ACT_OPTIONS</c> content.</summary>
    /// <param name="writer">The writer, inside the options nest.</param>
    /// <param name="targetIndex">The resolved index of <see cref="Target"/>, or 0.</param>
    internal abstract void WriteOptions(ref NetlinkMessageWriter writer, int targetIndex);
}
