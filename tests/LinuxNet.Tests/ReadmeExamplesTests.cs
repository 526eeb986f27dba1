using System.Reflection;
using System.Text.RegularExpressions;
using LinuxNet.Route;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace LinuxNet.Tests;

/// <summary>
/// Every <c>```csharp</c> block of the repository's README.md compiles, as written, against the library under test:
/// each block becomes the body of an async method, with the variables it uses but does not declare (<c>lab</c>,
/// <c>ct</c>, …) declared before it.
/// </summary>
public class ReadmeExamplesTests
{
    private const string Usings = """
        using System;
        using System.Buffers;
        using System.Diagnostics;
        using System.IO.Pipelines;
        using System.Net;
        using System.Net.NetworkInformation;
        using System.Net.Sockets;
        using System.Threading;
        using System.Threading.Tasks;
        using LinuxNet;
        using LinuxNet.Namespaces;
        using LinuxNet.Netlink;
        using LinuxNet.Route;
        using LinuxNet.Testing;
        using LinuxNet.Tun;
        using LinuxNet.Udp;
        """;

    // What a block may use without declaring it, in the README's own words.
    private static readonly (string Name, string Declaration)[] Ambient =
    [
        ("lab", "NetNamespace lab = null!;"),
        ("ns0", "NetNamespace ns0 = null!;"),
        ("ns1", "NetNamespace ns1 = null!;"),
        ("rt", "RtnetlinkSession rt = null!;"),
        ("links", "LinkManager links = null!;"),
        ("tun", "TunDevice tun = null!;"),
        ("ct", "CancellationToken ct = default;"),
        ("sequence", "ReadOnlySequence<byte> sequence = default;"),
        ("buffers", "Memory<byte>[] buffers = null!;"),
        ("sizes", "int[] sizes = null!;"),
        ("sealedRun", "byte[] sealedRun = null!;"),
        ("peer", "IPEndPoint peer = null!;"),
    ];

    public static IEnumerable<TestCaseData> Blocks()
    {
        string readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        int index = 0;
        foreach (Match match in Regex.Matches(readme, "```csharp\n(.*?)```", RegexOptions.Singleline))
        {
            int line = readme.Take(match.Index).Count(c => c == '\n') + 1;
            yield return new TestCaseData(match.Groups[1].Value).SetName($"Readme_CSharpBlock{index++}_AtLine{line}_Compiles");
        }
    }

    [Test]
    public void Readme_HasCSharpExamples() => Assert.That(Blocks().Count(), Is.GreaterThanOrEqualTo(4));

    [TestCaseSource(nameof(Blocks))]
    public void Readme_CSharpBlock_Compiles(string block)
    {
        // using directives at the top of a block belong to the file, not the method.
        string directives = string.Concat(Regex.Matches(block, @"^using [\w.]+;\s*$", RegexOptions.Multiline).Select(m => m.Value.Trim() + "\n"));
        block = Regex.Replace(block, @"^using [\w.]+;\s*$", string.Empty, RegexOptions.Multiline);
        var ambient = Ambient
            .Where(a => Regex.IsMatch(block, $@"\b{a.Name}\b") && !Regex.IsMatch(block, $@"\b(var|[A-Z]\w*(<[^>]*>)?)\s+{a.Name}\s*="))
            .Select(a => a.Declaration);
        string source = Usings + "\n" + directives + "\npublic static class Example\n{\n    public static async Task RunAsync()\n    {\n"
            + string.Join("\n", ambient) + "\n" + block + "\n        await Task.CompletedTask;\n    }\n}\n";
        var compilation = CSharpCompilation.Create(
            "ReadmeExample",
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest))],
            References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
        Assert.That(errors, Is.Empty, source);
    }

    private static IEnumerable<MetadataReference> References()
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).ToList();
        paths.Add(typeof(LinkManager).Assembly.Location);
        paths.Add(typeof(LinuxNet.Testing.NetworkLab).Assembly.Location); // the LinuxNet.Testing package's README example
        foreach (AssemblyName name in typeof(LinkManager).Assembly.GetReferencedAssemblies())
        {
            string candidate = Path.Combine(AppContext.BaseDirectory, name.Name + ".dll");
            if (File.Exists(candidate))
            {
                paths.Add(candidate);
            }
        }

        return paths.Distinct().Select(p => MetadataReference.CreateFromFile(p));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "LinuxNet.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("LinuxNet.sln not found above " + AppContext.BaseDirectory);
    }
}
