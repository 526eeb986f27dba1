using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;
using LinuxNet.Route;

namespace LinuxNet.IntegrationTests.Route;

/// <summary>
/// A fresh anonymous namespace with a veth pair v0/v1 (both up) and a <see cref="LinkManager"/> opened inside it,
/// for the neighbour, rule, event and batch tests. Everything goes away with the namespace.
/// </summary>
internal sealed class RouteLab : IDisposable
{
    private RouteLab(NetNamespace ns, LinkManager manager)
    {
        Namespace = ns;
        Manager = manager;
    }

    public NetNamespace Namespace { get; }

    public LinkManager Manager { get; }

    public int V0 { get; private set; }

    public int V1 { get; private set; }

    public static RouteLab Create(bool veth = true)
    {
        NetNamespace ns = NetNamespace.CreateAnonymous();
        try
        {
            LinkManager manager = ns.Run(() => LinkManager.Open());
            var lab = new RouteLab(ns, manager);
            if (veth)
            {
                lab.Ip("link", "add", "v0", "type", "veth", "peer", "name", "v1");
                lab.Ip("link", "set", "v0", "up");
                lab.Ip("link", "set", "v1", "up");
                lab.V0 = lab.Index("v0");
                lab.V1 = lab.Index("v1");
            }

            return lab;
        }
        catch
        {
            ns.Dispose();
            throw;
        }
    }

    public string Ip(params string[] args) => IpOracle.Run(Namespace, args);

    public System.Text.Json.JsonElement Json(params string[] args) => IpOracle.Json(Namespace, args);

    public int Index(string name) => Json("link", "show", "dev", name)[0].GetProperty("ifindex").GetInt32();

    public void Dispose()
    {
        Manager.Dispose();
        Namespace.Dispose();
    }
}
