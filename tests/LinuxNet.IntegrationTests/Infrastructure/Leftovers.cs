using System.Diagnostics;
using LinuxNet.Namespaces;

namespace LinuxNet.IntegrationTests.Infrastructure;

/// <summary>The named namespaces and child processes a test makes; <see cref="Dispose"/> (in TearDown) removes them all.</summary>
public sealed class Leftovers : IDisposable
{
    private readonly List<string> _names = new();
    private readonly List<Process> _processes = new();

    /// <summary>A fresh namespace name, deleted on <see cref="Dispose"/> if it exists then.</summary>
    public string NewName()
    {
        string name = Privileged.UniqueName();
        _names.Add(name);
        return name;
    }

    /// <summary>Kills <paramref name="process"/> on <see cref="Dispose"/>.</summary>
    public Process Track(Process process)
    {
        _processes.Add(process);
        return process;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (Process process in _processes)
        {
            try
            {
                process.Kill();
                process.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
            }

            process.Dispose();
        }

        foreach (string name in _names.Where(NetNamespace.Exists))
        {
            NetNamespace.Delete(name);
        }

        _processes.Clear();
        _names.Clear();
    }
}
