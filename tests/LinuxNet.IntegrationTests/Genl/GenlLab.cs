using System.Text.Json;
using LinuxNet.Genl;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;
using LinuxNet.Testing;

namespace LinuxNet.IntegrationTests.Genl;

/// <summary>
/// A fresh anonymous namespace with a veth pair v0/v1 (both up), made by a <see cref="NetworkLab"/>
/// (LinuxNet.Testing), and a <see cref="GenericNetlinkSession"/> opened in it, for the ethtool and MPTCP tests;
/// <c>ip</c>, <c>ethtool</c> and <c>genl</c> run inside it as oracles.
/// </summary>
internal sealed class GenlLab : IDisposable
{
    private readonly NetworkLab _lab;

    private GenlLab(NetworkLab lab)
    {
        _lab = lab;
        Namespace = lab["lab"].Namespace;
        Session = GenericNetlinkSession.Open(Namespace);
    }

    public NetNamespace Namespace { get; }

    public GenericNetlinkSession Session { get; }

    public static GenlLab Create()
    {
        // lo stays down, as the MPTCP tests expect: an endpoint with a port on an address the namespace lacks gets its
        // listen socket only then (with lo up the kernel refuses the bind, EADDRNOTAVAIL).
        NetworkLab lab = new NetworkLabBuilder(new NetworkLabOptions { LoopbackUp = false }).Namespace("lab").Veth("lab", "v0", "lab", "v1").Build();
        try
        {
            return new GenlLab(lab);
        }
        catch
        {
            lab.Dispose();
            throw;
        }
    }

    public string Ip(params string[] args) => IpOracle.Run(Namespace, args);

    public JsonElement IpJson(params string[] args) => IpOracle.Json(Namespace, args);

    public string Ethtool(params string[] args) => IpOracle.Execute(Namespace, "ethtool", args);

    public int Index(string name) => IpJson("link", "show", "dev", name)[0].GetProperty("ifindex").GetInt32();

    public void Dispose()
    {
        Session.Dispose();
        _lab.Dispose();
    }
}
