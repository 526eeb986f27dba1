using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json.Nodes;
using LinuxNet.Namespaces;

namespace LinuxNet.Samples.Lnet;

/// <summary><c>lnet netns list|add|del|exec|attach|identify|pids|monitor|set|list-id</c>.</summary>
internal static class NetnsCommand
{
    public const string Help = """
        Usage: lnet netns list
               lnet netns add NAME
               lnet netns delete NAME
               lnet netns exec NAME cmd ...
               lnet netns attach NAME PID
               lnet netns identify [PID]
               lnet netns pids NAME
               lnet netns monitor
               lnet netns set NAME NETNSID
               lnet netns list-id [nsid NETNSID]
        NETNSID := auto | POSITIVE-INT
        """;

    public static int Run(LnetContext context, Args args)
    {
        if (args.AtEnd)
        {
            return List(context);
        }

        string verb = args.Next();
        return verb switch
        {
            _ when Args.Matches(verb, "list") || Args.Matches(verb, "show") || verb == "lst" => List(context),
            _ when Args.Matches(verb, "add") => Add(args.Value("add")),
            _ when Args.Matches(verb, "delete") => Delete(args.Value("delete")),
            _ when Args.Matches(verb, "exec") => Exec(context, args),
            _ when Args.Matches(verb, "attach") => Attach(args),
            _ when Args.Matches(verb, "identify") => Identify(context, args),
            _ when Args.Matches(verb, "pids") => Pids(context, args),
            _ when Args.Matches(verb, "monitor") => Monitor(context),
            _ when verb == "set" => SetId(context, args),
            _ when verb == "list-id" => ListIds(context, args),
            _ when Args.Matches(verb, "help") => context.PrintHelp(Help),
            _ => throw new UsageException($"Command \"{verb}\" is unknown, try \"lnet netns help\"."),
        };
    }


    // ip netns set NAME ID|auto: the id this (-n) namespace gives NAME.
    private static int SetId(LnetContext context, Args args)
    {
        string name = args.Value("set");
        string value = args.Value(name);
        int id = -1;
        if (value != "auto" && (!int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out id) || id < 0))
        {
            throw new UsageException($"Error: argument \"{value}\" is wrong: \"netnsid\" value should be >= 0", 255);
        }

        NetNamespace target;
        try
        {
            target = NetNamespace.Open(name);
        }
        catch (LinuxNetException e)
        {
            throw new UsageException($"Cannot open network namespace \"{name}\": {Lnet.ErrnoText(e)}", 1);
        }

        using (target)
        {
            if (value == "auto")
            {
                context.Links.Session.NamespaceIds.SetAutomatic(target);
            }
            else
            {
                context.Links.Session.NamespaceIds.Set(target, id);
            }
        }

        return 0;
    }

    // ip netns list-id: the ids, each with the /run/netns name that has it (asked per name, as ip does).
    private static int ListIds(LnetContext context, Args args)
    {
        int? only = null;
        while (!args.AtEnd)
        {
            string word = args.Next();
            only = word == "nsid" ? Args.ParseInt(word, args.Value(word)) : throw new UsageException($"Error: argument \"{word}\" is wrong: Unknown network namespace id option", 255);
        }

        Route.NamespaceIdManager ids = context.Links.Session.NamespaceIds;
        Dictionary<int, string> names = NamesById(ids);
        var list = new JsonArray();
        foreach (int id in ids.List().Where(i => only is null || i == only))
        {
            list.Add((JsonNode)Json(id, names.GetValueOrDefault(id)));
        }

        if (context.Options.Json)
        {
            context.WriteJson(list);
        }
        else
        {
            foreach (JsonNode? o in list)
            {
                context.Out.WriteLine(Text((JsonObject)o!));
            }
        }

        return 0;
    }

    /// <summary>The /run/netns names by the NSID this namespace has for them (asked per name, as ip does).</summary>
    public static Dictionary<int, string> NamesById(Route.NamespaceIdManager ids)
    {
        var names = new Dictionary<int, string>();
        foreach (string name in NetNamespace.List())
        {
            try
            {
                using NetNamespace ns = NetNamespace.Open(name);
                if (ids.TryGet(ns) is int id)
                {
                    names.TryAdd(id, name);
                }
            }
            catch (LinuxNetException)
            {
                // Deleted while listing, or not a namespace: ip skips it too.
            }
        }

        return names;
    }

    /// <summary>One NSID as <c>ip -j netns list-id</c> gives it: <c>nsid</c>, and <c>name</c> when a /run/netns name has it.</summary>
    public static JsonObject Json(int id, string? name)
    {
        var o = new JsonObject { ["nsid"] = id };
        if (name is not null)
        {
            o["name"] = name;
        }

        return o;
    }

    /// <summary>One line of <c>ip netns list-id</c> (and <c>ip monitor nsid</c>, after its "Deleted ").</summary>
    public static string Text(JsonObject o)
        => o["name"] is { } name ? $"nsid {o["nsid"]} (iproute2 netns name: {name})" : $"nsid {o["nsid"]} ";

    private static int List(LnetContext context)
    {
        IReadOnlyList<string> names = NetNamespace.List();
        if (context.Options.Json)
        {
            context.WriteJson(new JsonArray(names.Select(n => (JsonNode)new JsonObject { ["name"] = n }).ToArray()));
        }
        else
        {
            foreach (string name in names)
            {
                context.Out.WriteLine(name);
            }
        }

        return 0;
    }

    private static int Add(string name)
    {
        try
        {
            NetNamespace.Create(name).Dispose();
        }
        catch (LinuxNetException e) when (e.IsAlreadyExists)
        {
            throw new UsageException($"Cannot create namespace file \"{NetNamespace.RunDirectory}/{name}\": File exists", 1);
        }

        return 0;
    }

    private static int Delete(string name)
    {
        try
        {
            NetNamespace.Delete(name);
        }
        catch (LinuxNetException e) when (e.IsNotFound)
        {
            throw new UsageException($"Cannot remove namespace file \"{NetNamespace.RunDirectory}/{name}\": No such file or directory", 1);
        }

        return 0;
    }

    private static int Attach(Args args)
    {
        if (args.AtEnd)
        {
            throw new UsageException("No netns name and PID specified", 1);
        }

        string name = args.Next();
        if (args.AtEnd)
        {
            throw new UsageException("No netns name and PID specified", 1);
        }

        int pid = ParsePid(args.Next(), "Invalid PID: {0}");
        try
        {
            NetNamespace.Attach(name, pid).Dispose();
        }
        catch (LinuxNetException e)
        {
            throw new UsageException($"Bind /proc/{pid}/ns/net -> {NetNamespace.RunDirectory}/{name} failed: {Lnet.ErrnoText(e)}", 1);
        }

        return 0;
    }

    // ip prints the first name it meets in /run/netns; with several names, lnet prints every one (a line each).
    private static int Identify(LnetContext context, Args args)
    {
        int pid = args.AtEnd ? Environment.ProcessId : ParsePid(args.Next(), "Specified string '{0}' is not a pid");
        IReadOnlyList<string> names;
        try
        {
            names = NetNamespace.Identify(pid);
        }
        catch (LinuxNetException e)
        {
            throw new UsageException($"Cannot open network namespace: {Lnet.ErrnoText(e)}", 1);
        }

        foreach (string name in names)
        {
            context.Out.WriteLine(name);
        }

        return 0;
    }

    private static int Pids(LnetContext context, Args args)
    {
        if (args.AtEnd)
        {
            throw new UsageException("No netns name specified", 1);
        }

        string name = args.Next();
        NetNamespace ns;
        try
        {
            ns = NetNamespace.Open(name);
        }
        catch (LinuxNetException e)
        {
            throw new UsageException($"Cannot open network namespace: {Lnet.ErrnoText(e)}", 1);
        }

        using (ns)
        {
            foreach (int pid in ns.GetProcessIds())
            {
                context.Out.WriteLine(pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return 0;
    }

    private static int Monitor(LnetContext context)
    {
        using NetNamespaceMonitor monitor = NetNamespaceMonitor.Open();
        try
        {
            while (true)
            {
                NetNamespaceNameChange change = monitor.ReadAsync(context.CancellationToken).AsTask().GetAwaiter().GetResult();
                if (change.Kind != NetNamespaceNameChangeKind.Overflow)
                {
                    context.Out.WriteLine(change.ToString());
                    context.Out.Flush();
                }
            }
        }
        catch (OperationCanceledException)
        {
            return 0;
        }
    }

    // ip words a bad PID differently for attach and identify.
    private static int ParsePid(string text, string error)
        => int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int pid) && pid > 0
            ? pid
            : throw new UsageException(string.Format(System.Globalization.CultureInfo.InvariantCulture, error, text), 1);

    private static int Exec(LnetContext context, Args args)
    {
        string name = args.Value("exec");
        if (args.AtEnd)
        {
            throw new UsageException("No command specified");
        }

        string[] command = args.Rest;
        NetNamespace ns;
        try
        {
            ns = NetNamespace.Open(name);
        }
        catch (LinuxNetException e)
        {
            throw new UsageException($"Cannot open network namespace \"{name}\": {Lnet.ErrnoText(e)}");
        }

        using (ns)
        {
            var start = new ProcessStartInfo(command[0])
            {
                UseShellExecute = false,
                RedirectStandardOutput = !context.InheritConsole,
                RedirectStandardError = !context.InheritConsole,
            };
            foreach (string argument in command.AsSpan(1))
            {
                start.ArgumentList.Add(argument);
            }

            Process process;
            try
            {
                process = ns.StartProcess(start);
            }
            catch (Win32Exception e)
            {
                throw new UsageException($"exec of \"{command[0]}\" failed: {e.Message}");
            }

            using (process)
            {
                Task copyOut = Task.CompletedTask;
                Task copyError = Task.CompletedTask;
                if (!context.InheritConsole)
                {
                    copyOut = process.StandardOutput.BaseStream.CopyToAsync(new WriterStream(context.Out));
                    copyError = process.StandardError.BaseStream.CopyToAsync(new WriterStream(context.Error));
                }

                process.WaitForExitAsync(context.CancellationToken).GetAwaiter().GetResult();
                Task.WaitAll(copyOut, copyError);
                return process.ExitCode;
            }
        }
    }

    /// <summary>Feeds a child's output into a <see cref="TextWriter"/> (tests capture it there).</summary>
    private sealed class WriterStream(TextWriter writer) : Stream
    {
        private readonly System.Text.Decoder _decoder = System.Text.Encoding.UTF8.GetDecoder();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => writer.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            var chars = new char[_decoder.GetCharCount(buffer, offset, count)];
            int n = _decoder.GetChars(buffer, offset, count, chars, 0);
            lock (writer)
            {
                writer.Write(chars, 0, n);
            }
        }
    }
}
