using System.Text.Json;

namespace LinuxNet.Samples.Tests.Lnet;

public class JsonSubsetTests
{
    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Test]
    public void Differences_SubsetWithEqualValues_IsEmpty()
    {
        JsonElement ip = Parse("""[{"ifindex":1,"ifname":"lo","flags":["UP"],"linkmode":"DEFAULT","x":{"a":1,"b":2}}]""");
        JsonElement lnet = Parse("""[{"ifindex":1,"ifname":"lo","flags":["UP"],"x":{"a":1}}]""");
        Assert.That(JsonSubset.Differences(lnet, ip), Is.Empty);
    }

    [TestCase("""[{"ifindex":2}]""", "ifindex")]
    [TestCase("""[{"ifindex":1,"extra":true}]""", "extra")]
    [TestCase("""[{"ifindex":"1"}]""", "ifindex")]
    [TestCase("""[{"flags":["UP","LOWER_UP"]}]""", "flags")]
    [TestCase("""[{"ifindex":1},{"ifindex":2}]""", "elements")]
    public void Differences_FieldDiffersOrIsUnknownToIp_IsReported(string lnet, string expected)
    {
        JsonElement ip = Parse("""[{"ifindex":1,"flags":["UP"]}]""");
        Assert.That(JsonSubset.Differences(Parse(lnet), ip), Has.Some.Contains(expected));
    }
}
