using System.Text.Json;
using LinuxNet.Netlink;

namespace LinuxNet.IntegrationTests.Netlink;

/// <summary>Needs no privilege: reads the links of the test's own namespace and compares them with <c>ip -j link</c>.</summary>
public class NetlinkSocketSmokeTests
{
    [Test]
    public void Query_LinkDumpInCurrentNamespace_MatchesIpLinkNames()
    {
        using var socket = NetlinkSocket.Open();
        byte[] buffer = new byte[64];
        var writer = new NetlinkMessageWriter(buffer);
        writer.BeginMessage(18 /* RTM_GETLINK */, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump);
        writer.WritePayload(new byte[16]); // struct ifinfomsg, all zero: every family, every link
        int length = writer.EndMessage();

        var names = new List<string>();
        socket.Query(buffer.AsSpan(0, length), names, static (message, list) =>
        {
            foreach (NetlinkAttribute attribute in message.GetAttributes(16))
            {
                if (attribute.Type == 3 /* IFLA_IFNAME */)
                {
                    list.Add(attribute.GetString());
                }
            }
        }, static list => list.Clear());

        var psi = new System.Diagnostics.ProcessStartInfo("ip", "-j link show") { RedirectStandardOutput = true };
        using var ip = System.Diagnostics.Process.Start(psi)!;
        string json = ip.StandardOutput.ReadToEnd();
        ip.WaitForExit();
        var expected = JsonDocument.Parse(json).RootElement.EnumerateArray().Select(e => e.GetProperty("ifname").GetString()!).ToList();
        Assert.That(names, Is.EqualTo(expected));
    }
}
