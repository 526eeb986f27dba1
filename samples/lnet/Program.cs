using LinuxNet.Samples.Lnet;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // Ctrl+C ends `lnet monitor` (and a wait in `netns exec`) cleanly instead of killing the process.
    e.Cancel = true;
    cancel.Cancel();
};

return Lnet.Run(args, Console.Out, Console.Error, cancel.Token);
