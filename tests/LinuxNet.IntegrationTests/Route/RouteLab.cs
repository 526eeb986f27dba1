using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;
using LinuxNet.Route;
using LinuxNet.Testing;

namespace LinuxNet.IntegrationTests.Route;

/// <summary>
/// A fresh anonymous namespace with a veth pair v0/v1 (both up) and a <see cref="LinkManager"/> opened inside it,
/// for the neighbour, rule, event and batch tests: a <see cref="NetworkLab"/> (LinuxNet.Testing) with IPv6 DAD left
/// on and <c>lo</c> left down, as a fresh namespace has them. Everything goes away with the lab.
/// </summary>
internal sealed class RouteLab : IDisposable
{
    private static readonly NetworkLabOptions AsFresh = new() { DisableDuplicateAddressDetection = false, LoopbackUp = false };
    private readonly NetworkLab _lab;

    private RouteLab(NetworkLab lab, bool veth)
    {
        _lab = lab;
        Namespace = lab["lab"].Namespace;
        Manager = lab["lab"].Session.Links;
        if (veth)
        {
            V0 = lab["lab"].GetIndex("v0");
            V1 = lab["lab"].GetIndex("v1");
        }
    }

    public NetNamespace Namespace { get; }

    public LinkManager Manager { get; }

    public int V0 { get; }

    public int V1 { get; }

    public static RouteLab Create(bool veth = true)
    {
        NetworkLabBuilder builder = new NetworkLabBuilder(AsFresh).Namespace("lab");
        if (veth)
        {
            builder.Veth("lab", "v0", "lab", "v1");
        }

        return new RouteLab(builder.Build(), veth);
    }

    public string Ip(params string[] args) => IpOracle.Run(Namespace, args);

    public System.Text.Json.JsonElement Json(params string[] args) => IpOracle.Json(Namespace, args);

    public int Index(string name) => Json("link", "show", "dev", name)[0].GetProperty("ifindex").GetInt32();

    public void Dispose() => _lab.Dispose();
}
