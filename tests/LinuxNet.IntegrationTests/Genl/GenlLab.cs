using System.Text.Json;
using LinuxNet.Genl;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;

namespace LinuxNet.IntegrationTests.Genl;

/// <summary>
/// A fresh anonymous namespace with a veth pair v0/v1 (both up) and a <see cref="GenericNetlinkSession"/> opened in
/// it, for the ethtool and MPTCP tests; <c>ip</c>, <c>ethtool</c> and <c>genl</c> run inside it as oracles.
/// </summary>
internal sealed class GenlLab : IDisposable
{
    private GenlLab(NetNamespace ns, GenericNetlinkSession session)
    {
        Namespace = ns;
        Session = session;
    }

    public NetNamespace Namespace { get; }

    public GenericNetlinkSession Session { get; }

    public static GenlLab Create()
    {
        NetNamespace ns = NetNamespace.CreateAnonymous();
        try
        {
            var lab = new GenlLab(ns, GenericNetlinkSession.Open(ns));
            lab.Ip("link", "add", "v0", "type", "veth", "peer", "name", "v1");
            lab.Ip("link", "set", "v0", "up");
            lab.Ip("link", "set", "v1", "up");
            return lab;
        }
        catch
        {
            ns.Dispose();
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
        Namespace.Dispose();
    }
}
