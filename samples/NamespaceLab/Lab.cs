using System.Net;
using System.Text.Json;
using LinuxNet.Namespaces;
using LinuxNet.Route;
using LinuxNet.Tun;

namespace LinuxNet.Samples.NamespaceLab;

/// <summary>Options of one lab run.</summary>
public sealed record LabOptions
{
    /// <summary>Leave the namespaces (and persistent TAPs) in place for inspection with <c>ip netns exec</c>.</summary>
    public bool Keep { get; init; }

    /// <summary>Print a machine-readable JSON report instead of the narrative.</summary>
    public bool Json { get; init; }

    /// <summary>Prefix for the names of the namespaces the lab creates (<c>{prefix}ns0</c>, …).</summary>
    public string Prefix { get; init; } = string.Empty;

    /// <summary>How long to wait for each ICMP echo.</summary>
    public TimeSpan PingTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long to wait for an echo that should fail: ARP gives up after about 3 s and reports the host unreachable.</summary>
    public TimeSpan UnreachableTimeout { get; init; } = TimeSpan.FromSeconds(4);
}

/// <summary>
/// Replays the project's founding experiment: two TAP devices, two namespaces, moving the TAPs in (which resets
/// them), pings that reach only the namespace's own address, then a veth pair that joins the namespaces.
/// Everything happens inside namespaces the lab creates; nothing in the caller's namespace changes.
/// </summary>
public sealed class Lab
{
    private static readonly IPPrefix Tap0Address = IPPrefix.Parse("198.51.100.1/24");
    private static readonly IPPrefix Tap1Address = IPPrefix.Parse("198.51.100.2/24");
    private static readonly IPPrefix Veth0Address = IPPrefix.Parse("203.0.113.1/24");
    private static readonly IPPrefix Veth1Address = IPPrefix.Parse("203.0.113.2/24");

    private readonly LabOptions _options;
    private readonly TextWriter _out;
    private readonly List<Check> _checks = new();
    private readonly List<string> _cleanup = new();
    private readonly List<StepReport> _steps = new();
    private StepReport? _step;

    /// <summary>Creates a lab that prints to <paramref name="output"/>.</summary>
    public Lab(LabOptions options, TextWriter output)
    {
        _options = options;
        _out = output;
    }

    /// <summary>One expectation of the experiment and whether it held.</summary>
    public sealed record Check(string Step, string Expectation, bool Held, string Detail);

    /// <summary>The expectations checked so far.</summary>
    public IReadOnlyList<Check> Checks => _checks;

    /// <summary>What was removed at the end.</summary>
    public IReadOnlyList<string> Removed => _cleanup;

    /// <summary>Runs the lab. Completes with 0 when every expectation held, 1 otherwise, 2 when the lab could not be built.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        string host = _options.Prefix + "lab-host";
        string ns0Name = _options.Prefix + "ns0";
        string ns1Name = _options.Prefix + "ns1";
        var created = new List<NetNamespace>();
        var devices = new List<TunDevice>();
        int exit;
        try
        {
            foreach (string name in new[] { host, ns0Name, ns1Name })
            {
                if (NetNamespace.Exists(name))
                {
                    throw new InvalidOperationException($"Network namespace '{name}' exists already; remove it (ip netns del {name}) or choose another --prefix.");
                }
            }

            Step("1", "Create two TAP devices in a lab 'host' namespace, address them and bring them up");
            NetNamespace hostNs = Track(created, NetNamespace.Create(host));
            Say($"created namespace {host} (stands in for the root namespace, which the lab never touches)");
            using (var links = LinkManager.Open(hostNs))
            {
                links.SetUp("lo");
                foreach ((string tap, IPPrefix address) in new[] { ("tap0", Tap0Address), ("tap1", Tap1Address) })
                {
                    devices.Add(TunDevice.Create(new TunDeviceOptions { Name = tap, Mode = TunMode.Tap, Persistent = _options.Keep }, hostNs));
                    links.Session.Addresses.Add(tap, address);
                    links.SetUp(tap);
                    Say($"ip tuntap add dev {tap} mode tap; ip addr add {address} dev {tap}; ip link set {tap} up");
                }

                Show(host, links);
                Expect("tap0 is up with 198.51.100.1/24", HasAddress(links, "tap0", Tap0Address) && links.TryGet("tap0")!.IsUp);
                Expect("tap1 is up with 198.51.100.2/24", HasAddress(links, "tap1", Tap1Address) && links.TryGet("tap1")!.IsUp);
                cancellationToken.ThrowIfCancellationRequested();

                Step("2", "Create namespaces ns0 and ns1 and move one TAP into each");
                NetNamespace ns0 = Track(created, NetNamespace.Create(ns0Name));
                NetNamespace ns1 = Track(created, NetNamespace.Create(ns1Name));
                Say($"ip netns add {ns0Name}; ip netns add {ns1Name}");
                links.SetNamespace("tap0", ns0);
                links.SetNamespace("tap1", ns1);
                Say($"ip link set tap0 netns {ns0Name}; ip link set tap1 netns {ns1Name}");
                Show(host, links);
                Expect("the TAPs left the host namespace", links.TryGet("tap0") is null && links.TryGet("tap1") is null);

                using var links0 = LinkManager.Open(ns0);
                using var links1 = LinkManager.Open(ns1);
                Show(ns0Name, links0);
                Show(ns1Name, links1);
                foreach ((LinkManager l, string tap) in new[] { (links0, "tap0"), (links1, "tap1") })
                {
                    LinkInfo? moved = l.TryGet(tap);
                    Expect($"{tap} arrived and the move reset it: state DOWN", moved is not null && !moved.IsUp);
                    Expect($"{tap} lost its addresses in the move", moved is not null && l.Session.Addresses.List(tap).Count == 0);
                }

                cancellationToken.ThrowIfCancellationRequested();

                Step("3", "Bring up lo and the TAPs inside, address them, and ping");
                links0.SetUp("lo");
                links0.SetUp("tap0");
                links0.Session.Addresses.Add("tap0", Tap0Address);
                links1.SetUp("lo");
                links1.SetUp("tap1");
                links1.Session.Addresses.Add("tap1", Tap1Address);
                Say($"ip netns exec {ns0Name}: ip link set lo up; ip link set tap0 up; ip addr add {Tap0Address} dev tap0");
                Say($"ip netns exec {ns1Name}: ip link set lo up; ip link set tap1 up; ip addr add {Tap1Address} dev tap1");
                Show(ns0Name, links0);
                Show(ns1Name, links1);
                bool own0 = Ping(ns0, ns0Name, Tap0Address.Address, 2) > 0;
                bool other0 = Ping(ns0, ns0Name, Tap1Address.Address, 1, _options.UnreachableTimeout) > 0;
                bool own1 = Ping(ns1, ns1Name, Tap1Address.Address, 2) > 0;
                bool other1 = Ping(ns1, ns1Name, Tap0Address.Address, 1, _options.UnreachableTimeout) > 0;
                Expect($"{ns0Name} reaches its own address 198.51.100.1", own0);
                Expect($"{ns0Name} does not reach {ns1Name}'s 198.51.100.2 (separate namespaces, nothing joins the TAPs)", !other0);
                Expect($"{ns1Name} reaches its own address 198.51.100.2", own1);
                Expect($"{ns1Name} does not reach {ns0Name}'s 198.51.100.1", !other1);
                cancellationToken.ThrowIfCancellationRequested();

                Step("4", "Join ns0 and ns1 with a veth pair and ping across it");
                links0.Add(new VethLinkSpec("veth0", "veth1") { PeerNamespace = ns1 });
                Say($"ip netns exec {ns0Name}: ip link add veth0 type veth peer name veth1 netns {ns1Name}");
                links0.Session.Addresses.Add("veth0", Veth0Address);
                links0.SetUp("veth0");
                links1.Session.Addresses.Add("veth1", Veth1Address);
                links1.SetUp("veth1");

                // The kernel brings a veth's carrier up shortly after both ends are up: wait for it (event-driven,
                // no sleep) instead of letting the first ping race it.
                await links0.WaitForLinkUpAsync("veth0", TimeSpan.FromSeconds(5), cancellationToken);
                await links1.WaitForLinkUpAsync("veth1", TimeSpan.FromSeconds(5), cancellationToken);
                Say($"ip netns exec {ns0Name}: ip addr add {Veth0Address} dev veth0; ip link set veth0 up");
                Say($"ip netns exec {ns1Name}: ip addr add {Veth1Address} dev veth1; ip link set veth1 up");
                Show(ns0Name, links0);
                Show(ns1Name, links1);
                int across = Ping(ns0, ns0Name, Veth1Address.Address, 3);
                int back = Ping(ns1, ns1Name, Veth0Address.Address, 3);
                Expect($"{ns0Name} reaches {ns1Name} over the veth pair (203.0.113.2)", across > 0);
                Expect($"{ns1Name} reaches {ns0Name} over the veth pair (203.0.113.1)", back > 0);
            }

            exit = _checks.All(c => c.Held) ? 0 : 1;
        }
        catch (OperationCanceledException)
        {
            Say("interrupted");
            exit = 130;
        }
        catch (Exception e)
        {
            Say($"the lab could not be built: {e.Message}");
            _checks.Add(new Check(_step?.Id ?? "0", "the lab can be built", false, e.Message));
            exit = 2;
        }
        finally
        {
            Step("5", _options.Keep ? "Keep the lab for inspection" : "Remove everything the lab created");
            foreach (TunDevice device in devices)
            {
                string name = device.Name;
                device.Dispose();
                if (!_options.Keep)
                {
                    _cleanup.Add($"TAP {name}");
                }
            }

            for (int i = created.Count - 1; i >= 0; i--)
            {
                string name = created[i].Name!;
                created[i].Dispose();
                if (!_options.Keep)
                {
                    try
                    {
                        NetNamespace.Delete(name);
                        _cleanup.Add($"namespace {name}");
                    }
                    catch (Exception e)
                    {
                        Say($"could not remove namespace {name}: {e.Message}");
                    }
                }
            }

            if (_options.Keep)
            {
                Say($"kept: namespaces {string.Join(", ", created.Select(n => n.Name))}; try `ip netns exec {ns0Name} ip addr`, remove with `ip netns del NAME`");
            }
            else
            {
                Say("removed: " + (_cleanup.Count == 0 ? "nothing was created" : string.Join(", ", _cleanup)));
            }
        }

        if (_options.Json)
        {
            WriteJson(exit);
        }
        else
        {
            _out.WriteLine();
            _out.WriteLine(exit == 0 ? $"All {_checks.Count} expectations held." : $"{_checks.Count(c => !c.Held)} of {_checks.Count} expectations did not hold.");
        }

        return exit;
    }

    private static NetNamespace Track(List<NetNamespace> list, NetNamespace ns)
    {
        list.Add(ns);
        return ns;
    }

    private static bool HasAddress(LinkManager links, string link, IPPrefix address)
        => links.Session.Addresses.List(link).Any(a => a.Address.Equals(address));

    private int Ping(NetNamespace ns, string nsName, IPAddress target, int count, TimeSpan? timeout = null)
    {
        Say($"ip netns exec {nsName} ping -c {count} {target}");
        int replies = ns.Run(() =>
        {
            using var pinger = new IcmpPinger();
            int ok = 0;
            for (int sequence = 1; sequence <= count; sequence++)
            {
                PingResult result = pinger.Ping(target, sequence, timeout ?? _options.PingTimeout);
                Say("  " + result.Describe(target, sequence, 56));
                _step?.Pings.Add(new PingReport(nsName, target.ToString(), sequence, result.Status.ToString(), result.Status == PingStatus.Reply ? result.RoundTrip.TotalMilliseconds : null));
                if (result.Status == PingStatus.Reply)
                {
                    ok++;
                }
            }

            return ok;
        });
        Say($"  {count} packets transmitted, {replies} received");
        return replies;
    }

    private void Show(string nsName, LinkManager links)
    {
        IReadOnlyList<LinkInfo> list = links.List();
        string text = IpText.Addresses(list, links.Session.Addresses.List());
        Say($"ip netns exec {nsName} ip addr show");
        foreach (string line in text.TrimEnd().Split('\n'))
        {
            Say("  " + line);
        }

        _step?.Listings.Add(new ListingReport(nsName, text));
    }

    private void Step(string id, string title)
    {
        _step = new StepReport(id, title, new List<string>(), new List<ListingReport>(), new List<PingReport>());
        _steps.Add(_step);
        if (!_options.Json)
        {
            _out.WriteLine();
            _out.WriteLine($"== Step {id}: {title}");
        }
    }

    private void Say(string line)
    {
        _step?.Log.Add(line);
        if (!_options.Json)
        {
            _out.WriteLine(line);
        }
    }

    private void Expect(string expectation, bool held)
    {
        _checks.Add(new Check(_step?.Id ?? "0", expectation, held, string.Empty));
        Say($"{(held ? "[ok]  " : "[FAIL]")} {expectation}");
    }

    private void WriteJson(int exit)
    {
        var report = new
        {
            success = exit == 0,
            exitCode = exit,
            kept = _options.Keep,
            steps = _steps.Select(s => new
            {
                id = s.Id,
                title = s.Title,
                log = s.Log,
                listings = s.Listings.Select(l => new { @namespace = l.Namespace, text = l.Text }),
                pings = s.Pings.Select(p => new { @namespace = p.Namespace, target = p.Target, sequence = p.Sequence, status = p.Status, rttMs = p.RoundTripMs }),
            }),
            checks = _checks.Select(c => new { step = c.Step, expectation = c.Expectation, held = c.Held, detail = c.Detail }),
            removed = _cleanup,
        };
        _out.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
    }

    private sealed record StepReport(string Id, string Title, List<string> Log, List<ListingReport> Listings, List<PingReport> Pings);

    private sealed record ListingReport(string Namespace, string Text);

    private sealed record PingReport(string Namespace, string Target, int Sequence, string Status, double? RoundTripMs);
}
