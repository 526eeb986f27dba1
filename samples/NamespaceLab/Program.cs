using LinuxNet.Samples.NamespaceLab;

var options = new LabOptions();
foreach (string arg in args)
{
    switch (arg)
    {
        case "--keep":
            options = options with { Keep = true };
            break;
        case "--json":
            options = options with { Json = true };
            break;
        case var a when a.StartsWith("--prefix=", StringComparison.Ordinal):
            options = options with { Prefix = a["--prefix=".Length..] };
            break;
        case "-h" or "--help":
            Console.WriteLine("usage: NamespaceLab [--keep] [--json] [--prefix=NAME]");
            Console.WriteLine("  Replays the tap/netns experiment inside namespaces it creates; needs root.");
            return 0;
        default:
            Console.Error.WriteLine($"unknown option '{arg}' (try --help)");
            return 64;
    }
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // Let the lab unwind and clean up instead of dying mid-step.
    e.Cancel = true;
    cancel.Cancel();
};

return await new Lab(options, Console.Out).RunAsync(cancel.Token);
