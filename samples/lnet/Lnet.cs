using System.ComponentModel;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using LinuxNet.Namespaces;
using LinuxNet.Netlink;
using LinuxNet.Route;

namespace LinuxNet.Samples.Lnet;

/// <summary>The global options of <c>lnet [-n NAME] [-j] [-p] [-d] [-4|-6|-M|-f FAMILY] OBJECT …</c>.</summary>
public sealed class LnetOptions
{
    /// <summary>The named namespace to act in (<c>-n NAME</c>), or <see langword="null"/> for the caller's.</summary>
    public string? Namespace { get; set; }

    /// <summary>Print JSON (<c>-j</c>).</summary>
    public bool Json { get; set; }

    /// <summary>Indent JSON (<c>-p</c>).</summary>
    public bool Pretty { get; set; }

    /// <summary>Print details (<c>-d</c>).</summary>
    public bool Details { get; set; }

    /// <summary>Print link statistics (<c>-s</c>): the counters of <c>ip -s</c>, one level.</summary>
    public bool Statistics { get; set; }

    /// <summary>The family filter (<c>-4</c>, <c>-6</c>, <c>-f inet|inet6</c>), or Unspecified.</summary>
    public AddressFamily Family { get; set; } = AddressFamily.Unspecified;

    /// <summary>MPLS routes (<c>-f mpls</c>, <c>-M</c>): <c>route</c> adds, replaces and deletes label routes.</summary>
    public bool Mpls { get; set; }

    /// <summary>The file of commands to run (<c>-batch FILE</c>, <c>-</c> for stdin), or <see langword="null"/>.</summary>
    public string? Batch { get; set; }

    /// <summary>With <see cref="Batch"/>: go on after a failing line, and exit non-zero at the end (<c>-force</c>).</summary>
    public bool Force { get; set; }

    /// <summary>A copy, for a batch line that gives options of its own.</summary>
    internal LnetOptions Clone() => (LnetOptions)MemberwiseClone();
}

/// <summary>One run of the tool: the options, the output writers and the namespace and rtnetlink handle, opened on first use.</summary>
public sealed class LnetContext : IDisposable
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions Indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = true };

    private NetNamespace? _namespace;
    private LinkManager? _links;
    private Dictionary<string, LinkInfo>? _linkCache;

    internal LnetContext(LnetOptions options, TextWriter stdout, TextWriter stderr, bool inheritConsole, CancellationToken cancellationToken)
    {
        Options = options;
        Out = stdout;
        Error = stderr;
        InheritConsole = inheritConsole;
        CancellationToken = cancellationToken;
    }

    /// <summary>The global options.</summary>
    public LnetOptions Options { get; }

    /// <summary>Where results go.</summary>
    public TextWriter Out { get; }

    /// <summary>Prints an object's usage text (the <c>help</c> verb) to stderr and returns exit code 255, as <c>ip OBJECT help</c> does.</summary>
    public int PrintHelp(string help)
    {
        Error.WriteLine(help);
        return 255;
    }

    /// <summary>Where errors go.</summary>
    public TextWriter Error { get; }

    /// <summary>Child processes (<c>netns exec</c>) write straight to this process's stdout and stderr.</summary>
    public bool InheritConsole { get; }

    /// <summary>Ends <c>monitor</c> and waits.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The namespace of <c>-n NAME</c>, or <see langword="null"/>.</summary>
    public NetNamespace? Namespace
    {
        get
        {
            if (_namespace is null && Options.Namespace is { } name)
            {
                try
                {
                    _namespace = NetNamespace.Open(name);
                }
                catch (LinuxNetException e)
                {
                    throw new UsageException($"Cannot open network namespace \"{name}\": {Lnet.ErrnoText(e)}");
                }
            }

            return _namespace;
        }
    }

    /// <summary>The rtnetlink handle, in the namespace of <c>-n</c> when given.</summary>
    public LinkManager Links => _links ??= Namespace is { } ns ? LinkManager.Open(ns) : LinkManager.Open();

    /// <summary>Writes a JSON value on one line (or indented with <c>-p</c>), as <c>ip -j</c> does.</summary>
    public void WriteJson(JsonNode? node) => Out.WriteLine(node is null ? "null" : node.ToJsonString(Options.Pretty ? Indented : Compact));

    /// <summary>Resolves a link name to its index, or fails like iproute2 with <c>Cannot find device "NAME"</c>.</summary>
    /// <remarks>
    /// In a batch (<c>-batch</c>) a name found once is remembered, as iproute2's name cache does, until a line that
    /// may add, rename or delete links (<c>link</c>, <c>tuntap</c>, <c>netns</c>) runs.
    /// </remarks>
    public LinkInfo RequireLink(string name)
    {
        if (_linkCache is not null && _linkCache.TryGetValue(name, out LinkInfo? known))
        {
            return known;
        }

        LinkInfo link = Links.TryGet(name) ?? throw new UsageException($"Cannot find device \"{name}\"", 1);
        _linkCache?.Add(name, link);
        return link;
    }

    /// <summary>Remembers resolved link names from now on (a batch).</summary>
    internal void CacheLinkNames() => _linkCache ??= new Dictionary<string, LinkInfo>(StringComparer.Ordinal);

    /// <summary>Forgets the resolved link names (a batch line may have changed links).</summary>
    internal void ForgetLinkNames() => _linkCache?.Clear();

    /// <inheritdoc/>
    public void Dispose()
    {
        _links?.Dispose();
        _namespace?.Dispose();
    }
}

/// <summary>The <c>lnet</c> command line: an <c>ip</c>-like tool on LinuxNet. <see cref="Run(string[], TextWriter, TextWriter, CancellationToken)"/> is the whole program.</summary>
public static class Lnet
{
    /// <summary>The usage text.</summary>
    public const string Usage = """
        Usage: lnet [ OPTIONS ] OBJECT { COMMAND | help }
               lnet [ -force ] -batch FILENAME
               lnet -V
        where  OBJECT := { link | address | route | neigh | rule | nexthop | netns | tuntap | monitor }
               OBJECT += { mptcp | ethtool }   (generic netlink: as ip mptcp and ethtool)
               OBJECT += { fdb | bridge }   (as bridge fdb, bridge link)
               OBJECT += { tc }                (traffic control: lnet tc qdisc|class|filter …, as tc)
               OPTIONS := { -V[ersion] | -n[etns] NAME | -j[son] | -p[retty] | -d[etails] | -s[tatistics] | -4 | -6 | -M | -f[amily] { inet | inet6 | mpls } | -b[atch] FILENAME | -fo[rce] | -h[elp] }
        """;

    /// <summary>Runs one command line; returns the exit code (0 success, 1 or 2 for errors as <c>ip</c>, 255 for bad usage).</summary>
    /// <param name="args">The arguments, as after <c>lnet</c>.</param>
    /// <param name="stdout">Where results go.</param>
    /// <param name="stderr">Where errors go.</param>
    /// <param name="cancellationToken">Ends <c>monitor</c> (Ctrl+C).</param>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
        => Run(args, Console.In, stdout, stderr, cancellationToken);

    /// <summary>
    /// Runs one command line, with <paramref name="stdin"/> for <c>-batch -</c>; returns the exit code (0 success, 1 or
    /// 2 for errors as <c>ip</c>, 255 for bad usage).
    /// </summary>
    /// <param name="args">The arguments, as after <c>lnet</c>.</param>
    /// <param name="stdin">Where <c>-batch -</c> reads its commands.</param>
    /// <param name="stdout">Where results go.</param>
    /// <param name="stderr">Where errors go.</param>
    /// <param name="cancellationToken">Ends <c>monitor</c> (Ctrl+C) and a batch.</param>
    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdin);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        bool inherit = ReferenceEquals(stdout, Console.Out) && ReferenceEquals(stderr, Console.Error);
        var options = new LnetOptions();
        int i = 0;
        try
        {
            if (ParseOptions(args, ref i, options, stdout, stderr) is int exit)
            {
                return exit;
            }

            if (options.Batch is { } file)
            {
                if (i < args.Length)
                {
                    throw new UsageException($"Either \"-batch\" or a command, not both (\"{args[i]}\").");
                }

                return LnetBatch.Run(file, stdin, options, stdout, stderr, inherit, cancellationToken);
            }

            if (i >= args.Length)
            {
                stderr.WriteLine(Usage);
                return 255;
            }

            using var context = new LnetContext(options, stdout, stderr, inherit, cancellationToken);
            return Dispatch(context, args, i);
        }
        catch (UsageException e)
        {
            stderr.WriteLine(e.Message);
            return e.ExitCode;
        }
    }

    /// <summary>
    /// Reads the options at <paramref name="i"/> into <paramref name="options"/>, leaving <paramref name="i"/> at the
    /// object word; returns an exit code when an option is the whole command (<c>-V</c>, <c>-help</c>), else null.
    /// </summary>
    internal static int? ParseOptions(string[] args, ref int i, LnetOptions options, TextWriter stdout, TextWriter stderr)
    {
        for (; i < args.Length && args[i].StartsWith('-') && args[i].Length > 1; i++)
        {
            string option = args[i].TrimStart('-');
            if (Args.Matches(option, "netns") && option.Length >= 1 && option[0] == 'n')
            {
                if (++i >= args.Length)
                {
                    throw new UsageException("No netns name specified");
                }

                options.Namespace = args[i];
            }
            else if (Args.Matches(option, "json"))
            {
                options.Json = true;
            }
            else if (Args.Matches(option, "pretty"))
            {
                options.Pretty = true;
            }
            else if (Args.Matches(option, "details"))
            {
                options.Details = true;
            }
            else if (Args.Matches(option, "stats") || Args.Matches(option, "statistics"))
            {
                options.Statistics = true;
            }
            else if (option == "4")
            {
                options.Family = AddressFamily.InterNetwork;
            }
            else if (option == "6")
            {
                options.Family = AddressFamily.InterNetworkV6;
            }
            else if (option == "M")
            {
                options.Mpls = true;
            }
            else if (option == "f" || Args.Matches(option, "family"))
            {
                if (++i >= args.Length)
                {
                    throw new UsageException("Option \"-family\" requires an argument.");
                }

                switch (args[i])
                {
                    case "inet":
                        options.Family = AddressFamily.InterNetwork;
                        break;
                    case "inet6":
                        options.Family = AddressFamily.InterNetworkV6;
                        break;
                    case "mpls":
                        options.Mpls = true;
                        break;
                    default:
                        throw new UsageException($"Error: argument \"{args[i]}\" is wrong: invalid protocol family");
                }
            }
            else if (Args.Matches(option, "help"))
            {
                return Help(stderr);
            }
            else if (option == "V" || Args.Matches(option, "Version"))
            {
                stdout.WriteLine($"lnet utility, LinuxNet {LibraryVersion}");
                return 0;
            }
            else if (Args.Matches(option, "batch"))
            {
                if (++i >= args.Length)
                {
                    throw new UsageException("Option \"-batch\" requires an argument.");
                }

                options.Batch = args[i];
            }
            else if (Args.Matches(option, "force") && option.Length >= 2)
            {
                options.Force = true;
            }
            else
            {
                throw new UsageException($"Option \"{args[i]}\" is unknown, try \"lnet -help\".");
            }
        }

        return null;
    }

    /// <summary>Runs the command at <c>args[i]</c> (an object word and what follows) in <paramref name="context"/>; returns the exit code, with the error printed.</summary>
    internal static int Dispatch(LnetContext context, string[] args, int i)
    {
        TextWriter stderr = context.Error;
        try
        {
            string objectWord = args[i];
            var rest = new Args(args, i + 1);
            return objectWord switch
            {
                _ when Args.Matches(objectWord, "address") => AddressCommand.Run(context, rest),
                _ when Args.Matches(objectWord, "route") => RouteCommand.Run(context, rest),
                _ when Args.Matches(objectWord, "rule") && objectWord.Length >= 2 => RuleCommand.Run(context, rest),
                _ when Args.Matches(objectWord, "nexthop") && objectWord.Length >= 3 => NexthopCommand.Run(context, rest),
                _ when Args.Matches(objectWord, "neighbour") || Args.Matches(objectWord, "neighbor") => NeighbourCommand.Run(context, rest),
                _ when Args.Matches(objectWord, "link") => LinkCommand.Run(context, rest),
                _ when (Args.Matches(objectWord, "tuntap") && objectWord.Length >= 2) || objectWord == "tap" => TuntapCommand.Run(context, rest),
                _ when Args.Matches(objectWord, "monitor") && objectWord.Length >= 2 => MonitorCommand.Run(context, rest),
                _ when Args.Matches(objectWord, "netns") && objectWord.Length >= 3 => NetnsCommand.Run(context, rest),
                _ when Args.Matches(objectWord, "mptcp") && objectWord.Length >= 2 => MptcpCommand.Run(context, rest),
                _ when objectWord == "ethtool" => EthtoolCommand.Run(context, rest),
                _ when objectWord == "fdb" => FdbCommand.Run(context, rest),
                _ when objectWord == "bridge" => FdbCommand.RunBridge(context, rest),
                _ when objectWord == "tc" => TcCommand.Run(context, rest),
                _ when Args.Matches(objectWord, "help") => Help(stderr),
                _ => throw new UsageException($"Object \"{objectWord}\" is unknown, try \"lnet help\".", 1),
            };
        }
        catch (UsageException e)
        {
            stderr.WriteLine(e.Message);
            return e.ExitCode;
        }
        catch (NetlinkException e)
        {
            stderr.WriteLine(KernelError(e));
            return 2;
        }
        catch (LinuxNetException e)
        {
            stderr.WriteLine($"Error: {e.Message}");
            return 1;
        }
        catch (ArgumentException e)
        {
            // The library checks what the kernel would refuse before it sends anything: print it the way ip prints
            // the kernel's refusal (exit 2), without .NET's "(Parameter 'x')" and "Actual value was" lines.
            stderr.WriteLine($"Error: {ArgumentText(e)}");
            return 2;
        }
        catch (Win32Exception e)
        {
            stderr.WriteLine($"Error: {e.Message}");
            return 255;
        }
        catch (OperationCanceledException)
        {
            return 0;
        }
    }

    /// <summary>A kernel refusal as iproute2 prints it: <c>Error: TEXT.</c> with an extended ack, else <c>RTNETLINK answers: STRERROR</c>.</summary>
    public static string KernelError(NetlinkException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (!string.IsNullOrEmpty(e.ExtendedAckMessage))
        {
            string text = e.ExtendedAckMessage;
            return text.EndsWith('.') ? $"Error: {text}" : $"Error: {text}.";
        }

        return $"RTNETLINK answers: {ErrnoText(e)}";
    }

    /// <summary>The C library's text for the exception's errno (<c>strerror</c>).</summary>
    public static string ErrnoText(LinuxNetException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return Marshal.GetPInvokeErrorMessage(e.ErrorNumber);
    }

    /// <summary>The LinuxNet library's version (lnet's own is the same): <c>lnet -V</c> prints it.</summary>
    public static string LibraryVersion
    {
        get
        {
            string version = typeof(LinkManager).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                ?? typeof(LinkManager).Assembly.GetName().Version?.ToString() ?? "unknown";
            int metadata = version.IndexOf('+', StringComparison.Ordinal);
            return metadata < 0 ? version : version[..metadata];
        }
    }

    /// <summary>
    /// An argument error as ip words it: the kernel's text where ip would have sent the value and printed the
    /// kernel's refusal (an MTU out of range), otherwise the message without .NET's parameter and value lines.
    /// </summary>
    public static string ArgumentText(ArgumentException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e is ArgumentOutOfRangeException { ParamName: "mtu", ActualValue: int mtu })
        {
            return mtu < 68 ? "mtu less than device minimum." : "mtu greater than device maximum.";
        }

        string text = e.Message;
        int value = text.IndexOf("\nActual value was", StringComparison.Ordinal);
        if (value < 0)
        {
            value = text.IndexOf(Environment.NewLine + "Actual value was", StringComparison.Ordinal);
        }

        if (value >= 0)
        {
            text = text[..value];
        }

        if (e.ParamName is { } name && text.EndsWith($" (Parameter '{name}')", StringComparison.Ordinal))
        {
            text = text[..^$" (Parameter '{name}')".Length];
        }

        return text.TrimEnd();
    }

    // ip prints its usage to stderr and exits 255 for "ip help", "ip -h" and no object at all.
    private static int Help(TextWriter stderr)
    {
        stderr.WriteLine(Usage);
        return 255;
    }
}
