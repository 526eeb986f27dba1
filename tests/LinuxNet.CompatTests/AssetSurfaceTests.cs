namespace LinuxNet.CompatTests;

/// <summary>
/// The two assets of the package are binary-compatible: every public member of the netstandard2.0 asset exists in the
/// net10.0 asset with the same signature, modifiers included, as the runtime resolves them (issue 12 item 1).
/// </summary>
public class AssetSurfaceTests
{
    private static string Net10Asset => typeof(LinuxNet.Route.VethLinkSpec).Assembly.Location;

    private static string NetStandardAsset => Path.Combine(AppContext.BaseDirectory, "netstandard2.0", "LinuxNet.dll");

    [Test]
    public void NetStandardSurface_IsContainedInNet10Surface_ModifiersIncluded()
    {
        SortedSet<string> forwarded = AssetSurface.ReadForwarders(Net10Asset);
        AssetSurface ns20 = AssetSurface.Read(NetStandardAsset, forwarded);
        AssetSurface net10 = AssetSurface.Read(Net10Asset, forwarded);

        string[] missing = ns20.Members.Where(m => !net10.Members.Contains(m)).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(ns20.Members, Has.Count.GreaterThan(1000), "the reader found the public surface");
            Assert.That(missing, Is.Empty, "public members of the netstandard2.0 asset that a netstandard2.0 consumer cannot bind to on net10.0:\n" + string.Join("\n", missing.Take(40)));
        });
    }

    [Test]
    public void Net10Surface_AddsOnlyTheDeclaredNet10OnlyApi()
    {
        SortedSet<string> forwarded = AssetSurface.ReadForwarders(Net10Asset);
        AssetSurface ns20 = AssetSurface.Read(NetStandardAsset, forwarded);
        AssetSurface net10 = AssetSurface.Read(Net10Asset, forwarded);

        // src/LinuxNet/PublicAPI/net10.0: the IPPrefix <-> System.Net.IPNetwork conversions.
        string[] extra = net10.Members.Where(m => !ns20.Members.Contains(m)).ToArray();
        Assert.That(extra.Where(m => !m.Contains("System.Net.IPNetwork", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void InitAccessors_CarryAModreqThatResolvesToCoreLib()
    {
        SortedSet<string> forwarded = AssetSurface.ReadForwarders(Net10Asset);
        AssetSurface ns20 = AssetSurface.Read(NetStandardAsset, forwarded);
        string[] initSetters = ns20.Members.Where(m => m.Contains("IsExternalInit", StringComparison.Ordinal)).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(forwarded, Does.Contain("System.Runtime.CompilerServices.IsExternalInit"));
            Assert.That(initSetters, Has.Length.GreaterThanOrEqualTo(20));
            Assert.That(initSetters, Has.All.Contains("modreq([ext]System.Runtime.CompilerServices.IsExternalInit)"));
        });
    }
}
