using System.Diagnostics;
using LinuxNet.IntegrationTests.Infrastructure;
using System.Net;
using System.Net.Sockets;
using LinuxNet.Samples.WireGuard.Device;
using LinuxNet.Samples.WireGuard.Protocol;
using LinuxNet.Samples.WireGuard.Lab;
using LinuxNet.Tun;

namespace LinuxNet.Samples.Tests.WireGuard;

/// <summary>Shutdown and failure reporting: Dispose, Ctrl+C on the program, and a worker that dies.</summary>
[Category("Privileged")]
[NonParallelizable]
public class WireGuardRobustnessTests
{
    private WireGuardLab? _lab;

    [SetUp]
    public void SetUp()
    {
        Privileged.RequireRoot();
        _lab = WireGuardLab.Create();
    }

    [TearDown]
    public void TearDown()
    {
        _lab?.Dispose();
        _lab = null;
    }

    [Test]
    public void DeadWorker_IsReported()
    {
        using var log = new StringWriter();
        TunDevice tun = TunDevice.Create(new TunDeviceOptions { Name = "wg0", Mode = TunMode.Tun }, _lab!.A);
        using WireGuardDevice device = _lab.A.Run(() => new WireGuardDevice(_lab.Config('A'), tun, log: log));
        Exception? reported = null;
        using var raised = new ManualResetEventSlim();
        device.Faulted += (_, e) =>
        {
            reported = e;
            raised.Set();
        };
        device.Start();

        tun.Dispose(); // pulls the TUN away under the running outbound worker

        Assert.That(raised.Wait(TimeSpan.FromSeconds(10)), Is.True, "Faulted was raised");
        Assert.Multiple(() =>
        {
            Assert.That(device.Fault, Is.InstanceOf<ObjectDisposedException>(), "the worker's death is visible");
            Assert.That(reported, Is.SameAs(device.Fault), "and was raised as an event");
            Assert.That(log.ToString(), Does.Contain("worker wg tun->udp died"));
        });
    }

    [Test]
    public void Responder_DropsAReplayedInitiation_AndAFlood()
    {
        // B plays the initiator by hand (the protocol classes over a plain socket); A is the sample.
        using var log = new StringWriter();
        WireGuardInterface sample = _lab!.StartSample('A', _lab.Config('A'), ProtocolTimers.Default with { InitiationMinInterval = TimeSpan.FromSeconds(30) }, log);
        var local = Identity.FromPrivateKey(_lab.PrivateB);
        var remote = Identity.FromPublicKey(sample.Device.Local.PublicKey);
        using Socket udp = _lab.B.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        udp.ReceiveTimeout = 2000;
        var target = new IPEndPoint(WireGuardLab.UnderlayA, WireGuardLab.Port);

        byte[] first = Initiation(local, remote);
        udp.SendTo(first, target);
        Assert.That(ReceiveLength(udp), Is.EqualTo(MessageLayout.ResponseSize), "a fresh initiation is answered");

        udp.SendTo(first, target);
        Assert.That(ReceiveLength(udp), Is.Zero, "the same initiation again is not");
        Assert.That(log.ToString(), Does.Contain("replays an old timestamp"));

        Thread.Sleep(50); // a strictly newer timestamp (they are whitened to ~16.8 ms)
        udp.SendTo(Initiation(local, remote), target);
        Assert.That(ReceiveLength(udp), Is.Zero, "a newer initiation inside the flood interval is not either");
        Assert.That(log.ToString(), Does.Contain("too soon after the last one"));
    }

    [Test]
    public void Dispose_StopsWorkersAndRemovesTheDevice()
    {
        WireGuardInterface sample = _lab!.StartSample('A', _lab.Config('A'));
        Assert.That(_lab.LinksA.TryGet("wg0"), Is.Not.Null);
        var clock = Stopwatch.StartNew();
        sample.Dispose();
        Assert.Multiple(() =>
        {
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), "no worker held Dispose up");
            Assert.That(_lab.LinksA.TryGet("wg0"), Is.Null);
            Assert.That(IpOracle.Run(_lab.A, "-o", "link"), Does.Not.Contain("wg0"), "ip agrees");
        });
    }

    private static byte[] Initiation(Identity local, Identity remote)
    {
        byte[] message = new byte[MessageLayout.InitiationSize];
        byte[] timestamp = new byte[Tai64N.Size];
        Tai64N.Write(DateTimeOffset.UtcNow, timestamp);
        Noise.CreateInitiation(local, remote, 7, timestamp, new HandshakeState(), message);
        new CookieGenerator(remote, TimeProvider.System, TimeSpan.FromMinutes(2)).AddMacs(message);
        return message;
    }

    private static int ReceiveLength(Socket socket)
    {
        try
        {
            return socket.Receive(new byte[256]);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
        {
            return 0;
        }
    }

    [Test]
    public void Program_CtrlC_ShutsDownCleanly()
    {
        string config = Path.Combine(Path.GetTempPath(), $"linuxnet-wg-{Environment.ProcessId}.conf");
        File.WriteAllText(config, _lab!.Config('A').Format());
        try
        {
            var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "wireguard-sample.dll"));
            foreach (string arg in new[] { "up", config, "--name", "wg0", "--show-every", "1" })
            {
                psi.ArgumentList.Add(arg);
            }

            using Process process = _lab.A.StartProcess(psi);
            var output = new System.Text.StringBuilder();
            using var up = new ManualResetEventSlim();
            process.OutputDataReceived += (_, e) =>
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                }

                if (e.Data?.Contains("is up", StringComparison.Ordinal) == true)
                {
                    up.Set();
                }
            };
            var errors = new System.Text.StringBuilder();
            process.ErrorDataReceived += (_, e) =>
            {
                lock (errors)
                {
                    errors.AppendLine(e.Data);
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                Assert.That(up.Wait(TimeSpan.FromSeconds(30)), Is.True, "the program came up");
                Assert.That(_lab.LinksA.TryGet("wg0"), Is.Not.Null);
                using (Process kill = Process.Start("kill", $"-INT {process.Id}"))
                {
                    kill.WaitForExit(5000);
                }

                // Bounded, but generous: the program disposes its device (workers, UAPI listener) after the last show. One
                // local CI run on a loaded machine saw it not exit within 10 s (cause not found; it has passed since, and
                // the assertion prints the program's output if it happens again).
                bool exited = process.WaitForExit(30_000);
                Assert.That(exited, Is.True, () =>
                {
                    lock (output)
                    {
                        lock (errors)
                        {
                            return $"exited after SIGINT; it printed:\n{output}\nand on stderr:\n{errors}";
                        }
                    }
                });
                process.WaitForExit();
                Assert.Multiple(() =>
                {
                    Assert.That(process.ExitCode, Is.Zero, output.ToString());
                    Assert.That(output.ToString(), Does.Contain("interface: wg0").And.Contain("listening port: 51820"), "printed wg show's view");
                    Assert.That(_lab.LinksA.TryGet("wg0"), Is.Null, "the TUN device went with the program");
                });
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill();
                    process.WaitForExit(5000);
                }
            }
        }
        finally
        {
            File.Delete(config);
        }
    }
}
