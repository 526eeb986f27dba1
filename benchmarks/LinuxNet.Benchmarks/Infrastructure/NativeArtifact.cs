namespace LinuxNet.Benchmarks.Infrastructure;

/// <summary>
/// Finds a NativeAOT publish under <c>artifacts/native/</c> of the repository (where <c>.ci/run</c> and the sample
/// READMEs put them), or where an environment variable says.
/// </summary>
internal static class NativeArtifact
{
    /// <summary>The file's path, or <see langword="null"/> when it has not been published.</summary>
    public static string? Find(string relative, string environmentVariable)
    {
        if (Environment.GetEnvironmentVariable(environmentVariable) is { Length: > 0 } given)
        {
            return File.Exists(given) ? given : null;
        }

        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "artifacts", "native", relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
