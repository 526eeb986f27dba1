using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using LinuxNet.Route;
using LinuxNet.Tun;

namespace LinuxNet.Testing;

/// <summary>
/// Describes a throwaway topology — namespaces, veth pairs, bridges, TUN/TAP devices, addresses, routes, sysctls —
/// and brings it up with <see cref="Build"/>. Every argument is checked when it is given, before anything is made.
/// </summary>
/// <example>
/// <code>
/// using NetworkLab lab = new NetworkLabBuilder()
///     .Namespace("a").Namespace("b")
///     .Veth("a", "veth0", "b", "veth0")
///     .Address("a", "veth0", "198.51.100.1/24")
///     .Address("b", "veth0", "198.51.100.2/24")
///     .Build();
/// lab["a"].Run(() => { /* sockets made here live in a */ });
/// </code>
/// </example>
public sealed class NetworkLabBuilder
{
    private const int MaxLinkName = 15;
    private readonly NetworkLabOptions _options;
    private readonly List<(string Name, bool Named)> _namespaces = new();
    private readonly Dictionary<string, HashSet<string>> _links = new(StringComparer.Ordinal);
    private readonly List<Step> _steps = new();

    /// <summary>Starts an empty lab description.</summary>
    /// <param name="options">How every namespace is prepared; <see langword="null"/> for the defaults.</param>
    public NetworkLabBuilder(NetworkLabOptions? options = null) => _options = options ?? new NetworkLabOptions();

    private enum StepKind
    {
        Sysctl,
        Veth,
        Bridge,
        Tun,
        Address,
        Route,
    }

    /// <summary>Adds an anonymous namespace: nothing of it outlives the lab or the process.</summary>
    /// <param name="name">The lab's name for it (any non-empty text; not a mount name).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The name is empty or taken.</exception>
    public NetworkLabBuilder Namespace(string name) => AddNamespace(name, named: false);

    /// <summary>
    /// Adds a named namespace, mounted under <c>/run/netns</c> with a per-run prefix (see <see cref="LabNamespace.MountName"/>),
    /// so tools can enter it with <c>ip netns exec</c>. The lab deletes it on dispose; should the process die first,
    /// the next lab's <see cref="NetworkLab.SweepLeftovers"/> deletes it.
    /// </summary>
    /// <param name="name">The lab's name for it: up to 64 letters, digits, '-', '_' or '.'.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The name is empty, too long, has other characters, or is taken.</exception>
    public NetworkLabBuilder NamedNamespace(string name)
    {
        if (name is null)
        {
            throw new ArgumentNullException(nameof(name));
        }

        if (name.Length > 64 || name.Any(c => !(char.IsLetterOrDigit(c) && c < 128) && c != '-' && c != '_' && c != '.'))
        {
            throw new ArgumentException($"A named lab namespace is up to 64 ASCII letters, digits, '-', '_' or '.': '{name}'.", nameof(name));
        }

        return AddNamespace(name, named: true);
    }

    /// <summary>Sets a network sysctl inside namespace <paramref name="ns"/> (what <c>ip netns exec NS sysctl -w KEY=VALUE</c> does).</summary>
    /// <param name="ns">A namespace added before.</param>
    /// <param name="key">A per-namespace key under <c>net.</c>, such as <c>net.ipv4.ip_forward</c>.</param>
    /// <param name="value">The value as <c>sysctl</c> takes it.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The namespace is unknown, or the key is not a <c>net.</c> key of letters, digits, '_', '-' and '.'.</exception>
    public NetworkLabBuilder Sysctl(string ns, string key, string value)
    {
        RequireNamespace(ns);
        if (key is null || !key.StartsWith("net.", StringComparison.Ordinal) || key.Contains("..") || key.EndsWith(".", StringComparison.Ordinal)
            || key.Any(c => !(char.IsLetterOrDigit(c) && c < 128) && c != '_' && c != '-' && c != '.'))
        {
            throw new ArgumentException($"'{key}' is not a network sysctl key (net.…; letters, digits, '_', '-', '.').", nameof(key));
        }

        if (value is null || value.IndexOf('\n') >= 0)
        {
            throw new ArgumentException("A sysctl value is one line of text.", nameof(value));
        }

        _steps.Add(new Step(StepKind.Sysctl, ns) { Key = key, Value = value });
        return this;
    }

    /// <summary>Adds a veth pair: <paramref name="name"/> in <paramref name="ns"/>, its peer <paramref name="peerName"/> in <paramref name="peerNamespace"/> (which may be the same).</summary>
    /// <param name="ns">A namespace added before.</param>
    /// <param name="name">The first end's name (1 to 15 bytes).</param>
    /// <param name="peerNamespace">A namespace added before.</param>
    /// <param name="peerName">The other end's name.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">A namespace is unknown, a name is invalid or taken in its namespace.</exception>
    public NetworkLabBuilder Veth(string ns, string name, string peerNamespace, string peerName)
    {
        RequireNamespace(ns);
        RequireNamespace(peerNamespace);
        if (ns == peerNamespace && name == peerName)
        {
            throw new ArgumentException($"A veth pair needs two names in namespace '{ns}'; both are '{name}'.", nameof(peerName));
        }

        AddLink(ns, name, nameof(name));
        AddLink(peerNamespace, peerName, nameof(peerName));
        _steps.Add(new Step(StepKind.Veth, ns) { Link = name, PeerNamespace = peerNamespace, PeerLink = peerName });
        return this;
    }

    /// <summary>Adds a bridge <paramref name="name"/> in <paramref name="ns"/> with <paramref name="ports"/> (links of that namespace added before) enslaved to it.</summary>
    /// <param name="ns">A namespace added before.</param>
    /// <param name="name">The bridge's name.</param>
    /// <param name="ports">Links of <paramref name="ns"/> the lab made before (veth ends, TAP devices).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The namespace or a port is unknown, or the name is invalid or taken.</exception>
    public NetworkLabBuilder Bridge(string ns, string name, params string[] ports)
    {
        RequireNamespace(ns);
        foreach (string port in ports ?? Array.Empty<string>())
        {
            RequireLink(ns, port, nameof(ports));
        }

        AddLink(ns, name, nameof(name));
        _steps.Add(new Step(StepKind.Bridge, ns) { Link = name, Ports = (ports ?? Array.Empty<string>()).ToArray() });
        return this;
    }

    /// <summary>Adds a TUN (or, with <see cref="TunDeviceOptions.Mode"/>, TAP) device in <paramref name="ns"/>, kept open by the lab (<see cref="LabNamespace.GetTun"/>).</summary>
    /// <param name="ns">A namespace added before.</param>
    /// <param name="name">The device's name.</param>
    /// <param name="options">Mode, offloads, queues; its <see cref="TunDeviceOptions.Name"/> is replaced by <paramref name="name"/>. <see langword="null"/> for a plain TUN device.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The namespace is unknown, or the name is invalid or taken.</exception>
    public NetworkLabBuilder Tun(string ns, string name, TunDeviceOptions? options = null)
    {
        RequireNamespace(ns);
        AddLink(ns, name, nameof(name));
        _steps.Add(new Step(StepKind.Tun, ns) { Link = name, TunOptions = options });
        return this;
    }

    /// <summary>Adds <paramref name="prefix"/> (for example <c>198.51.100.1/24</c> or <c>2001:db8::1/64</c>) to <paramref name="link"/> in <paramref name="ns"/>.</summary>
    /// <param name="ns">A namespace added before.</param>
    /// <param name="link">A link of that namespace the lab made, or <c>lo</c>.</param>
    /// <param name="prefix">Address and prefix length.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The namespace or link is unknown, or the prefix does not parse.</exception>
    public NetworkLabBuilder Address(string ns, string link, string prefix)
    {
        RequireNamespace(ns);
        RequireLink(ns, link, nameof(link));
        IPPrefix parsed = ParsePrefix(prefix, nameof(prefix));
        _steps.Add(new Step(StepKind.Address, ns) { Link = link, Prefix = parsed });
        return this;
    }

    /// <summary>Adds a route in <paramref name="ns"/>: to <paramref name="destination"/> (<c>default</c> or a prefix) via <paramref name="gateway"/> and/or out of <paramref name="link"/>.</summary>
    /// <param name="ns">A namespace added before.</param>
    /// <param name="destination">A prefix such as <c>203.0.113.0/24</c>, or <c>default</c> / <c>default6</c>.</param>
    /// <param name="gateway">The next hop's address, or <see langword="null"/>.</param>
    /// <param name="link">The output link, or <see langword="null"/> (then <paramref name="gateway"/> is required).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">Unknown namespace or link, a destination or gateway that does not parse, or families that differ.</exception>
    public NetworkLabBuilder Route(string ns, string destination, string? gateway = null, string? link = null)
    {
        RequireNamespace(ns);
        if (gateway is null && link is null)
        {
            throw new ArgumentException("A route needs a gateway, a link or both.", nameof(gateway));
        }

        if (link is not null)
        {
            RequireLink(ns, link, nameof(link));
        }

        IPPrefix target = destination switch
        {
            "default" => IPPrefix.Parse("0.0.0.0/0"),
            "default6" => IPPrefix.Parse("::/0"),
            _ => ParsePrefix(destination, nameof(destination)),
        };
        System.Net.IPAddress? via = null;
        if (gateway is not null)
        {
            if (!System.Net.IPAddress.TryParse(gateway, out via))
            {
                throw new ArgumentException($"'{gateway}' is not an IP address.", nameof(gateway));
            }

            if (via.AddressFamily != target.AddressFamily)
            {
                throw new ArgumentException($"The gateway {gateway} and the destination {destination} are of different families.", nameof(gateway));
            }
        }

        _steps.Add(new Step(StepKind.Route, ns) { Link = link, Prefix = target, Gateway = via });
        return this;
    }

    /// <summary>
    /// Makes the lab: namespaces first (with the options' sysctls and <c>lo</c> up), then the sysctls, links, addresses
    /// (IPv6 without DAD when the options say so), links up (waiting until the kernel reports them operational and routes
    /// every address as local), routes —
    /// in the order given within each kind. When a
    /// step fails, everything made so far is removed and the exception (with the kernel's text) is thrown.
    /// </summary>
    /// <returns>The lab; dispose it to remove everything.</returns>
    /// <exception cref="InvalidOperationException">No namespace was added.</exception>
    /// <exception cref="LinuxNetException">A step failed (for example without root).</exception>
    /// <exception cref="TimeoutException">A link did not come up, or an address did not become local, within <see cref="NetworkLabOptions.LinkUpTimeout"/>.</exception>
    public NetworkLab Build()
    {
        if (_namespaces.Count == 0)
        {
            throw new InvalidOperationException("A lab needs at least one namespace.");
        }

        NetworkLab.SweepOnce();
        var lab = new NetworkLab();
        try
        {
            foreach ((string name, bool named) in _namespaces)
            {
                lab.AddNamespace(name, named);
            }

            foreach (LabNamespace ns in lab.Namespaces)
            {
                Prepare(ns);
            }

            foreach (Step step in _steps.Where(s => s.Kind == StepKind.Sysctl))
            {
                lab[step.Namespace].Run(() => WriteSysctl(step.Key!, step.Value!));
            }

            var made = new List<(LabNamespace Ns, string Link)>();
            foreach (Step step in _steps.Where(s => s.Kind is StepKind.Veth or StepKind.Bridge or StepKind.Tun))
            {
                MakeLink(lab, step, made);
            }

            foreach (Step step in _steps.Where(s => s.Kind == StepKind.Address))
            {
                var spec = new AddressSpec(step.Link!, step.Prefix);
                if (_options.DisableDuplicateAddressDetection && step.Prefix.AddressFamily == AddressFamily.InterNetworkV6)
                {
                    spec.Flags |= AddressFlags.NoDad;
                }

                lab[step.Namespace].Session.Addresses.Add(spec);
            }

            if (_options.LinksUp)
            {
                foreach ((LabNamespace ns, string link) in made)
                {
                    ns.Session.Links.SetUp(link);
                }

                WaitUntilOperational(made);
                WaitUntilAddressesAreLocal(lab);
            }

            foreach (Step step in _steps.Where(s => s.Kind == StepKind.Route))
            {
                var spec = new RouteSpec(step.Prefix) { Gateway = step.Gateway };
                if (step.Link is not null)
                {
                    spec.Link = step.Link;
                }

                lab[step.Namespace].Session.Routes.Add(spec);
            }

            return lab;
        }
        catch
        {
            lab.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Waits (bounded by <see cref="NetworkLabOptions.LinkUpTimeout"/>) until every link is operationally up: the kernel
    /// attaches a new link's queueing discipline and readies IPv6 on it only when link watch reports the carrier, up to a
    /// second after <c>ip link set up</c>, and drops what is sent before. TUN/TAP devices report "unknown" and count as up.
    /// </summary>
    private void WaitUntilOperational(List<(LabNamespace Ns, string Link)> links)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        foreach ((LabNamespace ns, string link) in links)
        {
            while (true)
            {
                LinkInfo info = ns.Session.Links.Get(link);
                if (info.OperationalState is OperationalState.Up || (info.OperationalState is OperationalState.Unknown && (info.Flags & LinkFlags.LowerUp) != 0))
                {
                    break;
                }

                if (clock.Elapsed > _options.LinkUpTimeout)
                {
                    throw new TimeoutException($"Link '{link}' in lab namespace '{ns.Name}' was not operationally up after {_options.LinkUpTimeout.TotalSeconds:0.#} s (it is {info.OperationalState}).");
                }

                System.Threading.Thread.Sleep(10);
            }
        }
    }

    /// <summary>
    /// Waits (bounded) until the kernel routes every address the lab added as local. IPv6 addresses on a link that
    /// was down when they were added, even without DAD, get their local route only when IPv6 on the link becomes
    /// ready, some time after the carrier; a datagram to one before that is dropped.
    /// </summary>
    private void WaitUntilAddressesAreLocal(NetworkLab lab)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        foreach (Step step in _steps.Where(s => s.Kind == StepKind.Address))
        {
            LabNamespace ns = lab[step.Namespace];
            while (!IsLocal(ns, step.Prefix.Address))
            {
                if (clock.Elapsed > _options.LinkUpTimeout)
                {
                    throw new TimeoutException($"The kernel in lab namespace '{ns.Name}' did not route {step.Prefix.Address} as local after {_options.LinkUpTimeout.TotalSeconds:0.#} s.");
                }

                System.Threading.Thread.Sleep(10);
            }
        }
    }

    private static bool IsLocal(LabNamespace ns, System.Net.IPAddress address)
    {
        try
        {
            return ns.Session.Routes.Get(address).Type == RouteType.Local;
        }
        catch (LinuxNetException)
        {
            return false; // no route at all yet
        }
    }

    private void Prepare(LabNamespace ns)
    {
        if (_options.DisableDuplicateAddressDetection)
        {
            ns.Run(() =>
            {
                WriteSysctl("net.ipv6.conf.all.accept_dad", "0");
                WriteSysctl("net.ipv6.conf.default.accept_dad", "0");
            });
        }

        if (_options.LoopbackUp)
        {
            ns.Session.Links.SetUp("lo");
        }
    }

    private static void MakeLink(NetworkLab lab, Step step, List<(LabNamespace Ns, string Link)> made)
    {
        LabNamespace ns = lab[step.Namespace];
        switch (step.Kind)
        {
            case StepKind.Veth:
                LabNamespace peer = lab[step.PeerNamespace!];
                ns.Session.Links.Add(new VethLinkSpec(step.Link!, step.PeerLink!) { PeerNamespace = ReferenceEquals(peer, ns) ? null : peer.Namespace });
                made.Add((ns, step.Link!));
                made.Add((peer, step.PeerLink!));
                break;
            case StepKind.Bridge:
                ns.Session.Links.Add(new BridgeLinkSpec(step.Link!));
                foreach (string port in step.Ports!)
                {
                    ns.Session.Links.SetMaster(port, step.Link!);
                }

                made.Add((ns, step.Link!));
                break;
            case StepKind.Tun:
                TunDeviceOptions options = Copy(step.TunOptions, step.Link!);
                ns.AddTun(TunDevice.Create(options, ns.Namespace));
                made.Add((ns, step.Link!));
                break;
        }
    }

    private static TunDeviceOptions Copy(TunDeviceOptions? source, string name) => source is null
        ? new TunDeviceOptions { Name = name }
        : new TunDeviceOptions
        {
            Name = name,
            Mode = source.Mode,
            PacketInformation = source.PacketInformation,
            VirtioNetHeader = source.VirtioNetHeader,
            Offloads = source.Offloads,
            VirtioNetHeaderSize = source.VirtioNetHeaderSize,
            MultiQueue = source.MultiQueue,
            QueueCount = source.QueueCount,
            Owner = source.Owner,
            Group = source.Group,
            SendBufferSize = source.SendBufferSize,
            LoggerFactory = source.LoggerFactory,
            Persistent = false, // a persistent device would outlive the lab
        };

    /// <summary>Writes <c>/proc/sys/…</c> on the calling thread: the file belongs to the namespace the thread is in.</summary>
    private static void WriteSysctl(string key, string value)
        => System.IO.File.WriteAllText("/proc/sys/" + key.Replace('.', '/'), value);

    private NetworkLabBuilder AddNamespace(string name, bool named)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException("A lab namespace needs a name.", nameof(name));
        }

        if (_links.ContainsKey(name))
        {
            throw new ArgumentException($"The lab has a namespace '{name}' already.", nameof(name));
        }

        _namespaces.Add((name, named));
        _links.Add(name, new HashSet<string>(StringComparer.Ordinal) { "lo" });
        return this;
    }

    private void RequireNamespace(string ns)
    {
        if (ns is null || !_links.ContainsKey(ns))
        {
            throw new ArgumentException($"The lab has no namespace '{ns}': add it with Namespace or NamedNamespace first.", nameof(ns));
        }
    }

    private void RequireLink(string ns, string link, string parameter)
    {
        if (link is null || !_links[ns].Contains(link))
        {
            throw new ArgumentException($"The lab makes no link '{link}' in namespace '{ns}' (before this step).", parameter);
        }
    }

    private void AddLink(string ns, string link, string parameter)
    {
        if (string.IsNullOrEmpty(link) || Encoding.UTF8.GetByteCount(link) > MaxLinkName || link.Any(c => c == '/' || c == ':' || char.IsWhiteSpace(c)) || link is "." or "..")
        {
            throw new ArgumentException($"'{link}' is not a valid interface name (1 to 15 bytes, no '/', ':' or white space).", parameter);
        }

        if (!_links[ns].Add(link))
        {
            throw new ArgumentException($"The lab makes a link '{link}' in namespace '{ns}' already.", parameter);
        }
    }

    private static IPPrefix ParsePrefix(string text, string parameter)
        => text is not null && IPPrefix.TryParse(text, out IPPrefix prefix)
            ? prefix
            : throw new ArgumentException($"'{text}' is not an address with a prefix length (198.51.100.1/24, 2001:db8::1/64).", parameter);

    private sealed class Step
    {
        public Step(StepKind kind, string ns)
        {
            Kind = kind;
            Namespace = ns;
        }

        public StepKind Kind { get; }

        public string Namespace { get; }

        public string? Link { get; set; }

        public string? PeerNamespace { get; set; }

        public string? PeerLink { get; set; }

        public string[]? Ports { get; set; }

        public TunDeviceOptions? TunOptions { get; set; }

        public IPPrefix Prefix { get; set; }

        public System.Net.IPAddress? Gateway { get; set; }

        public string? Key { get; set; }

        public string? Value { get; set; }
    }
}
