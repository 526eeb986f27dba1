using System;

namespace LinuxNet.Namespaces;

/// <summary>
/// The descriptor of a <see cref="NetNamespace"/>, held (reference-counted) for one request that hands it to the
/// kernel, such as <c>IFLA_NET_NS_FD</c>: the namespace's own descriptor, never a re-opened path, so the request can
/// only ever name that namespace. Dispose it when the request is done.
/// </summary>
internal readonly struct NamespaceDescriptor : IDisposable
{
    private readonly SafeFileDescriptorHandle? _handle;

    internal NamespaceDescriptor(SafeFileDescriptorHandle handle) => _handle = handle;

    /// <summary>The descriptor number, valid until <see cref="Dispose"/>; -1 for <c>default</c>.</summary>
    internal int Fd => _handle?.DangerousGetFd() ?? -1;

    public void Dispose() => _handle?.DangerousRelease();
}
