using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using LinuxNet.Genl;
using LinuxNet.Genl.Ethtool;
using LinuxNet.Netlink;

namespace LinuxNet.Samples.Lnet;

/// <summary><c>lnet ethtool [--json] -k DEV</c>, <c>-K DEV FEATURE on|off …</c>, <c>-l DEV</c>, <c>DEV</c>: ethtool's netlink verbs, printed as ethtool prints them.</summary>
internal static class EthtoolCommand
{
    public const string Help = """
        Usage: lnet ethtool DEVNAME                      Display standard information about device
               lnet ethtool [--json] -k|--show-features DEVNAME
               lnet ethtool -K|--features DEVNAME FEATURE on|off ...
               lnet ethtool -l|--show-channels DEVNAME
               lnet ethtool -L|--set-channels DEVNAME [rx N] [tx N] [other N] [combined N]
               lnet ethtool -g|--show-ring DEVNAME
               lnet ethtool --show-priv-flags DEVNAME
        """;

    // ethtool's exit code when a netlink request of -K fails (what ethtool 6.1 returns here).
    private const int NetlinkFailure = 92;

    public static int Run(LnetContext context, Args args)
    {
        bool json = args.Take("--json");
        if (args.AtEnd)
        {
            context.Error.WriteLine("ethtool: bad command line argument(s)");
            return 1;
        }

        string word = args.Next();
        if (word is "help" or "-h" or "--help")
        {
            // ethtool -h prints its usage to stdout and succeeds (ip's objects print theirs to stderr with 255).
            context.Out.WriteLine(Help);
            return 0;
        }

        using GenericNetlinkSession session = context.Namespace is { } ns ? GenericNetlinkSession.Open(ns) : GenericNetlinkSession.Open();
        try
        {
            return word switch
            {
                "-k" or "--show-features" or "--show-offload" => ShowFeatures(context, session.Ethtool, Device(args), json),
                "-K" or "--features" or "--offload" => SetFeatures(context, session.Ethtool, args),
                "-l" or "--show-channels" => ShowChannels(context, session.Ethtool, Device(args)),
                "-L" or "--set-channels" => SetChannels(session.Ethtool, args),
                "-g" or "--show-ring" => ShowRings(context, session.Ethtool, Device(args)),
                "--show-priv-flags" => ShowPrivateFlags(context, session.Ethtool, Device(args)),
                _ when !word.StartsWith('-') && args.AtEnd => ShowSettings(context, session.Ethtool, word),
                _ => throw new UsageException("ethtool: bad command line argument(s)\nFor more information run ethtool -h", 1),
            };
        }
        catch (NetlinkException e)
        {
            if (!string.IsNullOrEmpty(e.ExtendedAckMessage))
            {
                context.Error.WriteLine($"netlink error: {e.ExtendedAckMessage}");
            }

            context.Error.WriteLine($"netlink error: {Marshal.GetPInvokeErrorMessage(e.ErrorNumber)}");
            return word is "-K" or "--features" or "--offload" ? NetlinkFailure : 1;
        }
    }

    /// <summary>The name the kernel knows for what ethtool prints (the reverse of <see cref="EthtoolFeature.EthtoolName"/>, and ethtool's short names).</summary>
    public static string KernelName(string name) => name switch
    {
        "rx-checksumming" or "rx" => "rx-checksum",
        "generic-segmentation-offload" or "gso" => "tx-generic-segmentation",
        "generic-receive-offload" or "gro" => "rx-gro",
        "large-receive-offload" or "lro" => "rx-lro",
        "rx-vlan-offload" or "rxvlan" => "rx-vlan-hw-parse",
        "tx-vlan-offload" or "txvlan" => "tx-vlan-hw-insert",
        "ntuple-filters" or "ntuple" => "rx-ntuple-filter",
        "receive-hashing" or "rxhash" => "rx-hashing",
        _ => name,
    };

    private static string Device(Args args)
    {
        if (args.AtEnd)
        {
            throw new UsageException("ethtool: bad command line argument(s)\nFor more information run ethtool -h", 1);
        }

        return args.Next();
    }

    private static int ShowFeatures(LnetContext context, EthtoolManager ethtool, string device, bool json)
    {
        IReadOnlyList<EthtoolFeature> features = ethtool.GetFeatures(device);
        if (json)
        {
            var o = new JsonObject { ["ifname"] = device };
            foreach (EthtoolFeature f in features)
            {
                o[f.EthtoolName] = new JsonObject { ["active"] = f.Active, ["fixed"] = f.Fixed, ["requested"] = f.Requested };
            }

            context.WriteJson(new JsonArray(o));
            return 0;
        }

        context.Out.WriteLine($"Features for {device}:");
        foreach (EthtoolFeature f in features)
        {
            context.Out.WriteLine(FeatureLine(f.EthtoolName, f.Active, f.Fixed, f.Requested));
        }

        return 0;
    }

    /// <summary>One line of <c>ethtool -k</c>: <c>NAME: on|off</c>, then <c>[fixed]</c> or <c>[requested on|off]</c> when it differs.</summary>
    public static string FeatureLine(string name, bool active, bool fixedState, bool requested)
        => $"{name}: {OnOff(active)}{(fixedState ? " [fixed]" : requested != active ? $" [requested {OnOff(requested)}]" : string.Empty)}";

    private static int SetFeatures(LnetContext context, EthtoolManager ethtool, Args args)
    {
        string device = Device(args);
        var wanted = new List<KeyValuePair<string, bool>>();
        while (!args.AtEnd)
        {
            string name = args.Next();
            string value = args.Value(name);
            bool on = value switch
            {
                "on" => true,
                "off" => false,
                _ => throw new UsageException($"ethtool: invalid value '{value}' for feature '{name}' (on or off)", 1),
            };
            wanted.Add(new KeyValuePair<string, bool>(KernelName(name), on));
        }

        if (wanted.Count == 0)
        {
            throw new UsageException("ethtool: no feature changes requested", 1);
        }

        IReadOnlyList<EthtoolFeatureChange> changes;
        try
        {
            changes = ethtool.SetFeatures(device, wanted);
        }
        catch (ArgumentException e) when (e.ParamName == "features")
        {
            context.Error.WriteLine($"ethtool: {e.Message.Split(" (Parameter", 2)[0]}");
            return 1;
        }

        bool anyChanged = changes.Any(c => c.Changed);
        if (!anyChanged && changes.Count > 0)
        {
            context.Out.WriteLine("Could not change any device features");
        }

        if (changes.Count > 0 && (changes.Any(c => !c.AsRequested) || wanted.Count != changes.Count(c => c.Changed)))
        {
            context.Out.WriteLine("Actual changes:");
            foreach (EthtoolFeatureChange c in changes)
            {
                context.Out.WriteLine($"{c.Name}: {OnOff(c.Active)}{(c.AsRequested ? string.Empty : $" [requested {OnOff(!c.Active)}]")}");
            }
        }

        return anyChanged || changes.Count == 0 ? 0 : 1;
    }

    private static int ShowChannels(LnetContext context, EthtoolManager ethtool, string device)
    {
        EthtoolChannels c = ethtool.GetChannels(device);
        TextWriter o = context.Out;
        o.WriteLine($"Channel parameters for {device}:");
        o.WriteLine("Pre-set maximums:");
        o.WriteLine($"RX:\t\t{Count(c.MaxRx)}");
        o.WriteLine($"TX:\t\t{Count(c.MaxTx)}");
        o.WriteLine($"Other:\t\t{Count(c.MaxOther)}");
        o.WriteLine($"Combined:\t{Count(c.MaxCombined)}");
        o.WriteLine("Current hardware settings:");
        o.WriteLine($"RX:\t\t{Count(c.Rx)}");
        o.WriteLine($"TX:\t\t{Count(c.Tx)}");
        o.WriteLine($"Other:\t\t{Count(c.Other)}");
        o.WriteLine($"Combined:\t{Count(c.Combined)}");
        return 0;
    }

    private static int SetChannels(EthtoolManager ethtool, Args args)
    {
        string device = Device(args);
        uint? rx = null, tx = null, other = null, combined = null;
        while (!args.AtEnd)
        {
            string word = args.Next();
            uint value = Args.ParseUInt(word, args.Value(word));
            switch (word)
            {
                case "rx": rx = value; break;
                case "tx": tx = value; break;
                case "other": other = value; break;
                case "combined": combined = value; break;
                default: throw new UsageException("ethtool: bad command line argument(s)\nFor more information run ethtool -h", 1);
            }
        }

        if (rx is null && tx is null && other is null && combined is null)
        {
            throw new UsageException("ethtool: bad command line argument(s)\nFor more information run ethtool -h", 1);
        }

        ethtool.SetChannels(device, rx, tx, other, combined);
        return 0;
    }

    private static int ShowRings(LnetContext context, EthtoolManager ethtool, string device)
    {
        EthtoolRings r = ethtool.GetRings(device);
        TextWriter o = context.Out;
        o.WriteLine($"Ring parameters for {device}:");
        o.WriteLine("Pre-set maximums:");
        o.WriteLine($"RX:\t\t{Count(r.MaxRx)}");
        o.WriteLine($"RX Mini:\t{Count(r.MaxRxMini)}");
        o.WriteLine($"RX Jumbo:\t{Count(r.MaxRxJumbo)}");
        o.WriteLine($"TX:\t\t{Count(r.MaxTx)}");
        o.WriteLine("Current hardware settings:");
        o.WriteLine($"RX:\t\t{Count(r.Rx)}");
        o.WriteLine($"RX Mini:\t{Count(r.RxMini)}");
        o.WriteLine($"RX Jumbo:\t{Count(r.RxJumbo)}");
        o.WriteLine($"TX:\t\t{Count(r.Tx)}");
        return 0;
    }

    private static int ShowPrivateFlags(LnetContext context, EthtoolManager ethtool, string device)
    {
        IReadOnlyList<EthtoolPrivateFlag> flags = ethtool.GetPrivateFlags(device);
        context.Out.WriteLine($"Private flags for {device}:");
        foreach (EthtoolPrivateFlag flag in flags)
        {
            context.Out.WriteLine($"{flag.Name}: {OnOff(flag.Enabled)}");
        }

        return 0;
    }

    private static int ShowSettings(LnetContext context, EthtoolManager ethtool, string device)
    {
        EthtoolLinkInfo info = ethtool.GetLinkInfo(device);
        TextWriter o = context.Out;
        o.WriteLine($"Settings for {device}:");
        o.WriteLine($"\tSpeed: {(info.Speed is { } speed ? speed.ToString(CultureInfo.InvariantCulture) + "Mb/s" : "Unknown!")}");
        o.WriteLine($"\tDuplex: {(info.Duplex == EthtoolDuplex.Unknown ? "Unknown! (255)" : info.Duplex.ToString())}");
        o.WriteLine($"\tAuto-negotiation: {OnOff(info.AutoNegotiation)}");
        o.WriteLine($"\tPort: {info.PortName}");
        if (info.PhyAddress is { } phy)
        {
            o.WriteLine($"\tPHYAD: {phy}");
        }

        if (info.Transceiver is { } transceiver)
        {
            o.WriteLine($"\tTransceiver: {(transceiver == 0 ? "internal" : transceiver == 1 ? "external" : "Unknown!")}");
        }

        if (info.LinkDetected is { } detected)
        {
            o.WriteLine($"\tLink detected: {(detected ? "yes" : "no")}");
        }

        return 0;
    }

    private static string OnOff(bool value) => value ? "on" : "off";

    private static string Count(uint? value) => value is { } v && v != 0 ? v.ToString(CultureInfo.InvariantCulture) : "n/a";
}
