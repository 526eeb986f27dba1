using LinuxNet.Tests.Infrastructure;

namespace LinuxNet.Tests.Netlink;

/// <summary>
/// Loads real kernel replies from TestData/kernel/*.txt (made by TestData/kernel/capture.sh): the format of
/// TestData/iproute2 (README.md there), with one <c># ---- datagram i of n</c> block per received datagram.
/// </summary>
internal static class KernelReplies
{
    public static string DirectoryPath => Path.Combine(AppContext.BaseDirectory, "TestData", "kernel");

    /// <summary>The datagrams of capture <paramref name="name"/>, in the order they were received.</summary>
    public static IReadOnlyList<byte[]> Datagrams(string name)
    {
        string text = File.ReadAllText(Path.Combine(DirectoryPath, name + ".txt"));
        var datagrams = new List<byte[]>();
        foreach (string block in text.Split("# ---- datagram").Skip(1))
        {
            datagrams.Add(Iproute2Capture.Parse(block.Substring(block.IndexOf('\n', StringComparison.Ordinal) + 1)));
        }

        return datagrams;
    }

    /// <summary>All datagrams of capture <paramref name="name"/> concatenated (each holds whole, aligned messages).</summary>
    public static byte[] All(string name) => Datagrams(name).SelectMany(d => d).ToArray();
}
