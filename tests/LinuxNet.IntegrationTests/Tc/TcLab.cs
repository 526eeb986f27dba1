using System.Text.Json;
using LinuxNet.IntegrationTests.Infrastructure;
using LinuxNet.Namespaces;
using LinuxNet.Route;
using LinuxNet.Tc;
using LinuxNet.Testing;

namespace LinuxNet.IntegrationTests.Tc;

/// <summary>
/// Two fresh anonymous namespaces joined by a veth pair: <c>v0</c> (198.51.100.1/24) in <see cref="Namespace"/>,
/// <c>v1</c> (198.51.100.2/24) in <see cref="Peer"/>, made by a <see cref="NetworkLab"/> (LinuxNet.Testing), plus an
/// <c>ifb0</c> in each, everything up; the lab's <see cref="RtnetlinkSession"/> in each and <c>tc</c> as the oracle.
/// Everything goes away with the lab.
/// </summary>
internal sealed class TcLab : IDisposable
{
    private readonly NetworkLab _lab;

    private TcLab(NetworkLab lab)
    {
        _lab = lab;
        Namespace = lab["a"].Namespace;
        Peer = lab["b"].Namespace;
        Session = lab["a"].Session;
        PeerSession = lab["b"].Session;
    }

    public NetNamespace Namespace { get; }

    public NetNamespace Peer { get; }

    public RtnetlinkSession Session { get; }

    public RtnetlinkSession PeerSession { get; }

    public TrafficControlManager Tc => Session.TrafficControl;

    public TrafficControlManager PeerTc => PeerSession.TrafficControl;

    public static TcLab Create()
    {
        NetworkLab lab = new NetworkLabBuilder()
            .Namespace("a").Namespace("b")
            .Veth("a", "v0", "b", "v1")
            .Address("a", "v0", "198.51.100.1/24")
            .Address("b", "v1", "198.51.100.2/24")
            .Build();
        try
        {
            // The lab has no ifb step: the two ifb devices are added here and go with the namespaces.
            foreach (RtnetlinkSession session in new[] { lab["a"].Session, lab["b"].Session })
            {
                session.Links.Add(new IfbLinkSpec("ifb0"));
                session.Links.SetUp("ifb0");
            }

            return new TcLab(lab);
        }
        catch
        {
            lab.Dispose();
            throw;
        }
    }

    /// <summary>Runs <c>tc ARGS</c> in <see cref="Namespace"/>; returns stdout.</summary>
    public string Run(params string[] args) => IpOracle.Execute(Namespace, "tc", args);

    /// <summary>Runs <c>tc ARGS</c> in <see cref="Peer"/>; returns stdout.</summary>
    public string RunPeer(params string[] args) => IpOracle.Execute(Peer, "tc", args);

    /// <summary><c>tc -j -s ARGS</c> in <see cref="Namespace"/>, parsed.</summary>
    public JsonElement Json(params string[] args) => Parse(Run(["-j", "-s", .. args]));

    /// <summary><c>tc -j -s ARGS</c> in <see cref="Peer"/>, parsed.</summary>
    public JsonElement PeerJson(params string[] args) => Parse(RunPeer(["-j", "-s", .. args]));

    /// <summary>Runs <c>tc ARGS</c> expecting it to fail; returns its stderr.</summary>
    public string RunFailing(params string[] args)
    {
        try
        {
            Run(args);
        }
        catch (InvalidOperationException e)
        {
            return e.Message;
        }

        Assert.Fail($"tc {string.Join(' ', args)} succeeded");
        return string.Empty;
    }

    public int Index(string name) => IpOracle.Json(Namespace, "link", "show", "dev", name)[0].GetProperty("ifindex").GetInt32();

    public void Dispose() => _lab.Dispose();

    private static JsonElement Parse(string json)
    {
        using JsonDocument document = JsonDocument.Parse(string.IsNullOrWhiteSpace(json) ? "[]" : json);
        return document.RootElement.Clone();
    }
}
