using System;
using System.Collections.Generic;
using LinuxNet.Namespaces;
using LinuxNet.Route;
using LinuxNet.Tun;

namespace LinuxNet.Testing;

/// <summary>One namespace of a <see cref="NetworkLab"/>, with an rtnetlink session inside it and the TUN/TAP devices the lab made there.</summary>
public sealed class LabNamespace
{
    private readonly Dictionary<string, TunDevice> _tuns = new(StringComparer.Ordinal);

    internal LabNamespace(string name, NetNamespace netNamespace)
    {
        Name = name;
        Namespace = netNamespace;
    }

    /// <summary>The name the lab knows it by (the builder's name, not the mount name).</summary>
    public string Name { get; }

    /// <summary>The network namespace; anonymous unless declared with <see cref="NetworkLabBuilder.NamedNamespace"/>.</summary>
    public NetNamespace Namespace { get; }

    /// <summary>The name under <c>/run/netns</c> (<c>ip netns exec NAME …</c> works with it), or <see langword="null"/> for an anonymous namespace.</summary>
    public string? MountName => Namespace.Name;

    /// <summary>An rtnetlink session inside the namespace (links, addresses, routes, neighbours, rules, monitors, batches).</summary>
    public RtnetlinkSession Session { get; private set; } = null!;

    /// <summary>The TUN/TAP devices the lab made here, by name.</summary>
    public IReadOnlyDictionary<string, TunDevice> Tuns => _tuns;

    /// <summary>The TUN/TAP device <paramref name="name"/> the lab made here.</summary>
    /// <param name="name">The device's name as given to <see cref="NetworkLabBuilder.Tun"/>.</param>
    /// <returns>The open device; the lab disposes it.</returns>
    /// <exception cref="KeyNotFoundException">The lab made no such device here.</exception>
    public TunDevice GetTun(string name)
        => _tuns.TryGetValue(name, out TunDevice? tun) ? tun : throw new KeyNotFoundException($"The lab made no TUN/TAP device '{name}' in namespace '{Name}'.");

    /// <summary>The interface index of <paramref name="link"/> in this namespace.</summary>
    /// <param name="link">A link name.</param>
    /// <returns>Its index.</returns>
    /// <exception cref="LinuxNetException">The link does not exist.</exception>
    public int GetIndex(string link) => Session.Links.Get(link).Index;

    /// <summary>Runs <paramref name="action"/> on the namespace's pinned thread: sockets it opens live in this namespace.</summary>
    /// <param name="action">The work.</param>
    public void Run(Action action) => Namespace.Run(action);

    /// <summary>Runs <paramref name="func"/> on the namespace's pinned thread and returns its result.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="func">The work.</param>
    /// <returns>What <paramref name="func"/> returned.</returns>
    public T Run<T>(Func<T> func) => Namespace.Run(func);

    /// <inheritdoc/>
    public override string ToString() => MountName is null ? $"{Name} (anonymous)" : $"{Name} ({MountName})";

    internal void Open() => Session = RtnetlinkSession.Open(Namespace);

    internal void AddTun(TunDevice tun) => _tuns.Add(tun.Name, tun);

    internal void Close()
    {
        foreach (TunDevice tun in _tuns.Values)
        {
            tun.Dispose();
        }

        _tuns.Clear();
        Session?.Dispose();
    }
}
