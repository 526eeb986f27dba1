using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json.Nodes;
using LinuxNet.Namespaces;

namespace LinuxNet.Samples.Lnet;

/// <summary><c>lnet netns list|add|del|exec</c>.</summary>
internal static class NetnsCommand
{
    public const string Help = """
        Usage: lnet netns list
               lnet netns add NAME
               lnet netns delete NAME
               lnet netns exec NAME cmd ...
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
            _ when Args.Matches(verb, "help") => context.PrintHelp(Help),
            _ => throw new UsageException($"Command \"{verb}\" is unknown, try \"lnet netns help\"."),
        };
    }


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
