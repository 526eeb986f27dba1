using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Security.Cryptography;
using LinuxNet.Namespaces;
using LinuxNet.Route;

namespace LinuxNet.Samples.Cni;

/// <summary>
/// ADD, CHECK and DEL in the shape of the reference <c>bridge</c> plugin: a bridge in the plugin's own (host)
/// namespace, a veth pair created inside the container's namespace with its peer placed in the host's and enslaved to
/// the bridge, addresses and routes from the IPAM plugin on the container end, and with <c>isGateway</c> the
/// gateway addresses on the bridge. Every change is a LinuxNet rtnetlink request; nothing runs <c>ip</c>.
/// </summary>
internal sealed class BridgeNetwork
{
    private readonly NetworkConfig _config;
    private readonly PluginEnvironment _environment;

    public BridgeNetwork(NetworkConfig config, PluginEnvironment environment)
    {
        _config = config;
        _environment = environment;
    }

    public CniResult Add()
    {
        _environment.Require(containerId: true, netns: true, ifName: true, path: true);
        string ipamType = _config.IpamType ?? throw new CniException(CniErrorCode.InvalidNetworkConfig, "ipam.type is missing");
        string ifName = _environment.InterfaceName!;
        using NetNamespace container = OpenContainer(_environment.NetworkNamespace!);
        using NetNamespace host = NetNamespace.Current;
        using RtnetlinkSession hostSession = RtnetlinkSession.Open();
        using RtnetlinkSession containerSession = RtnetlinkSession.Open(container);
        if (containerSession.Links.TryGet(ifName) is not null)
        {
            throw new CniException(CniErrorCode.Internal, $"container veth name provided ({ifName}) already exists");
        }

        // IPAM first: an exhausted pool (or any IPAM error) then leaves no link behind.
        CniResult ipam = CniResult.Parse(DelegatedPlugin.Run(ipamType, "ADD", _environment, _config.Raw), "IPAM result");
        if (ipam.IPs.Count == 0)
        {
            Rollback(ipamType, containerSession, hostSession, vethMade: false, bridgeMade: false, ifName);
            throw new CniException(CniErrorCode.Internal, "IPAM plugin returned missing IP config");
        }

        bool bridgeMade = false, vethMade = false;
        try
        {
            bridgeMade = EnsureBridge(hostSession);
            string hostVeth = NewVethName(hostSession);
            // Queue length 0 on both ends, as the reference plugin's veths have (a veth needs no queue: it is noqueue).
            containerSession.Links.Add(new VethLinkSpec(ifName, hostVeth) { PeerNamespace = host, Mtu = _config.Mtu, TransmitQueueLength = 0 });
            vethMade = true;
            hostSession.Links.SetTransmitQueueLength(hostVeth, 0);
            if (_config.Mtu is int mtu)
            {
                // VethLinkSpec.Mtu is the first end's; the peer would keep the default 1500.
                hostSession.Links.SetMtu(hostVeth, mtu);
            }
            containerSession.Links.SetUp(ifName);
            hostSession.Links.SetUp(hostVeth);
            hostSession.Links.SetMaster(hostVeth, _config.Bridge);

            var result = new CniResult { DnsJson = ipam.DnsJson };
            foreach (CniIPConfig ip in ipam.IPs)
            {
                IPAddress? gateway = ip.Gateway ?? (_config.IsGateway ? FirstHost(ip.Address) : null);
                if (_config.IsGateway && gateway is not null)
                {
                    var onBridge = new IPPrefix(gateway, ip.Address.PrefixLength);
                    if (hostSession.Addresses.TryGet(_config.Bridge, onBridge) is null)
                    {
                        hostSession.Addresses.Add(Address(_config.Bridge, onBridge));
                    }

                    EnableForwarding(ip.Address.AddressFamily);
                }

                containerSession.Addresses.Add(Address(ifName, ip.Address));
                result.IPs.Add(new CniIPConfig(ip.Address, gateway, Interface: 2));
            }

            var routes = new List<CniRoute>(ipam.Routes);
            if (_config.IsDefaultGateway)
            {
                foreach (CniIPConfig ip in result.IPs.Where(i => i.Gateway is not null))
                {
                    IPPrefix any = new(ip.Address.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
                    if (!routes.Any(r => r.Destination == any))
                    {
                        routes.Add(new CniRoute(any, ip.Gateway));
                    }
                }
            }

            foreach (CniRoute route in routes)
            {
                IPAddress? via = route.Gateway ?? result.IPs.FirstOrDefault(i => i.Address.AddressFamily == route.Destination.AddressFamily)?.Gateway;
                containerSession.Routes.Add(new RouteSpec(route.Destination) { Gateway = via, Link = ifName });
                result.Routes.Add(route);
            }

            // Read the MACs last: the bridge takes a port's address when its first port joins.
            result.Interfaces.Add(new CniInterface(_config.Bridge, Mac(hostSession.Links.Get(_config.Bridge).Address), null));
            result.Interfaces.Add(new CniInterface(hostVeth, Mac(hostSession.Links.Get(hostVeth).Address), null));
            result.Interfaces.Add(new CniInterface(ifName, Mac(containerSession.Links.Get(ifName).Address), _environment.NetworkNamespace));
            return result;
        }
        catch
        {
            Rollback(ipamType, containerSession, hostSession, vethMade, bridgeMade, ifName);
            throw;
        }
    }

    public void Check()
    {
        _environment.Require(containerId: true, netns: true, ifName: true, path: true);
        CniResult previous = _config.PreviousResult ?? throw new CniException(CniErrorCode.InvalidNetworkConfig, "Required prevResult missing");
        string ifName = _environment.InterfaceName!;
        if (_config.IpamType is { } ipamType)
        {
            DelegatedPlugin.Run(ipamType, "CHECK", _environment, _config.Raw);
        }

        using NetNamespace container = OpenContainer(_environment.NetworkNamespace!);
        using RtnetlinkSession hostSession = RtnetlinkSession.Open();
        using RtnetlinkSession containerSession = RtnetlinkSession.Open(container);

        LinkInfo bridge = hostSession.Links.TryGet(_config.Bridge) ?? throw Failed($"bridge {_config.Bridge} not found");
        if (bridge.Kind != "bridge")
        {
            throw Failed($"{_config.Bridge} is a {bridge.Kind ?? "device"}, not a bridge");
        }

        int containerIndex = previous.Interfaces.FindIndex(i => i.Name == ifName && i.Sandbox is not null);
        if (containerIndex < 0)
        {
            throw Failed($"prevResult has no interface {ifName} in a sandbox");
        }

        LinkInfo containerLink = containerSession.Links.TryGet(ifName) ?? throw Failed($"container interface {ifName} not found");
        if (containerLink.Kind != "veth")
        {
            throw Failed($"container interface {ifName} is a {containerLink.Kind ?? "device"}, not a veth");
        }

        if (previous.Interfaces[containerIndex].Mac is { } mac && !string.Equals(mac, Mac(containerLink.Address), StringComparison.OrdinalIgnoreCase))
        {
            throw Failed($"container interface {ifName} has MAC {Mac(containerLink.Address)}, prevResult says {mac}");
        }

        CniInterface hostVeth = previous.Interfaces.FirstOrDefault(i => i.Sandbox is null && i.Name != _config.Bridge)
            ?? throw Failed("prevResult has no host veth");
        LinkInfo hostLink = hostSession.Links.TryGet(hostVeth.Name) ?? throw Failed($"host veth {hostVeth.Name} not found");
        if (hostLink.MasterIndex != bridge.Index)
        {
            throw Failed($"host veth {hostVeth.Name} is not a port of {_config.Bridge}");
        }

        if (containerLink.ParentIndex is int peer && peer != hostLink.Index)
        {
            throw Failed($"container interface {ifName} is not the peer of {hostVeth.Name}");
        }

        IReadOnlyList<AddressInfo> addresses = containerSession.Addresses.List(ifName);
        foreach (CniIPConfig ip in previous.IPs.Where(i => i.Interface is null || i.Interface == containerIndex))
        {
            if (!addresses.Any(a => a.Address.Address.Equals(ip.Address.Address) && a.Address.PrefixLength == ip.Address.PrefixLength))
            {
                throw Failed($"address {ip.Address} not found on {ifName}");
            }
        }

        IReadOnlyList<RouteInfo> routes = containerSession.Routes.List();
        foreach (CniRoute route in previous.Routes)
        {
            if (!routes.Any(r => r.Destination == route.Destination && r.LinkIndex == containerLink.Index && (route.Gateway is null || route.Gateway.Equals(r.Gateway))))
            {
                throw Failed($"route {route.Destination}{(route.Gateway is null ? "" : " via " + route.Gateway)} not found on {ifName}");
            }
        }
    }

    public void Delete()
    {
        _environment.Require(containerId: true, netns: false, ifName: true, path: true);
        if (_config.IpamType is { } ipamType)
        {
            DelegatedPlugin.Run(ipamType, "DEL", _environment, _config.Raw);
        }

        if (_environment.NetworkNamespace is not { } path)
        {
            return;
        }

        NetNamespace container;
        try
        {
            container = NetNamespace.OpenPath(path);
        }
        catch (LinuxNetException e) when (e.IsNotFound)
        {
            // The spec: DEL of a container that is gone succeeds; there is nothing left in it to remove.
            return;
        }

        using (container)
        using (RtnetlinkSession session = RtnetlinkSession.Open(container))
        {
            try
            {
                if (session.Links.TryGet(_environment.InterfaceName!) is { Kind: "veth" })
                {
                    // Deleting one end removes the pair, so the host veth (and its bridge port) go too; the bridge stays.
                    session.Links.Delete(_environment.InterfaceName!);
                }
            }
            catch (LinuxNetException e) when (e.IsNotFound)
            {
            }
        }
    }

    public void Status()
    {
        RequireVersion110("STATUS");
        if (_config.IpamType is { } ipamType)
        {
            try
            {
                DelegatedPlugin.Find(ipamType, _environment.PluginPath);
            }
            catch (CniException e)
            {
                throw new CniException(CniErrorCode.NotAvailable, "the IPAM plugin is not available", e.Message);
            }
        }
    }

    public void CollectGarbage()
    {
        RequireVersion110("GC");
        if (_config.IpamType is { } ipamType)
        {
            // This plugin keeps no state of its own: links go with their namespace. The IPAM plugin holds the leases.
            DelegatedPlugin.Run(ipamType, "GC", _environment, _config.Raw);
        }
    }

    private void RequireVersion110(string command)
    {
        if (_config.CniVersion != "1.1.0")
        {
            throw new CniException(CniErrorCode.IncompatibleVersion, $"config version does not allow {command}", $"config is \"{_config.CniVersion}\", {command} needs \"1.1.0\"");
        }
    }

    private bool EnsureBridge(RtnetlinkSession host)
    {
        bool made = false;
        LinkInfo? bridge = host.Links.TryGet(_config.Bridge);
        if (bridge is null)
        {
            host.Links.Add(new BridgeLinkSpec(_config.Bridge) { Mtu = _config.Mtu });
            made = true;
        }
        else if (bridge.Kind != "bridge")
        {
            throw new CniException(CniErrorCode.Internal, $"{_config.Bridge} already exists but is not a bridge");
        }

        if (_config.PromiscuousMode)
        {
            host.Links.SetPromiscuous(_config.Bridge, true);
        }

        host.Links.SetUp(_config.Bridge);
        return made;
    }

    private void Rollback(string ipamType, RtnetlinkSession container, RtnetlinkSession host, bool vethMade, bool bridgeMade, string ifName)
    {
        // Best effort, so that a failed ADD leaves nothing half-made; the first error is the one reported.
        Try(() =>
        {
            if (vethMade)
            {
                container.Links.Delete(ifName);
            }
        });
        Try(() =>
        {
            if (bridgeMade)
            {
                host.Links.Delete(_config.Bridge);
            }
        });
        Try(() => DelegatedPlugin.Run(ipamType, "DEL", _environment, _config.Raw));
    }

    private static void Try(Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is LinuxNetException or CniException)
        {
        }
    }

    private static NetNamespace OpenContainer(string path)
    {
        try
        {
            return NetNamespace.OpenPath(path);
        }
        catch (LinuxNetException e)
        {
            throw new CniException(CniErrorCode.UnknownContainer, $"failed to open netns \"{path}\"", e.Message);
        }
    }

    private static string NewVethName(RtnetlinkSession host)
    {
        Span<byte> random = stackalloc byte[4];
        for (int attempt = 0; ; attempt++)
        {
            RandomNumberGenerator.Fill(random);
            string name = "veth" + Convert.ToHexString(random).ToLowerInvariant();
            if (host.Links.TryGet(name) is null || attempt == 9)
            {
                return name;
            }
        }
    }

    private static AddressSpec Address(string link, IPPrefix address) => new(link, address)
    {
        // As netlink's AddrAdd (the reference plugin's library) does: an IPv4 address gets its subnet's broadcast.
        AutoBroadcast = address.AddressFamily == AddressFamily.InterNetwork && address.PrefixLength < 31,
    };

    private static IPAddress FirstHost(IPPrefix address)
    {
        byte[] bytes = address.Network.Address.GetAddressBytes();
        bytes[^1] |= 1;
        return new IPAddress(bytes);
    }

    private static void EnableForwarding(AddressFamily family)
    {
        // Per namespace: /proc/sys/net is the namespace of the process that opens it, the plugin's (host) namespace.
        string path = family == AddressFamily.InterNetwork ? "/proc/sys/net/ipv4/ip_forward" : "/proc/sys/net/ipv6/conf/all/forwarding";
        if (File.ReadAllText(path).Trim() != "1")
        {
            File.WriteAllText(path, "1");
        }
    }

    private static string? Mac(PhysicalAddress? address)
        => address is null ? null : string.Join(':', address.GetAddressBytes().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));

    private static CniException Failed(string message) => new(CniErrorCode.Internal, message);
}
