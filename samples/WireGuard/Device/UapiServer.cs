using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace LinuxNet.Samples.WireGuard.Device;

/// <summary>
/// The read half of WireGuard's cross-platform configuration protocol: a UNIX stream socket
/// <c>/var/run/wireguard/NAME.sock</c> that answers <c>get=1</c> with the device's state as <c>key=value</c> lines,
/// so that the real <c>wg show NAME</c> (and <c>wg showconf</c>) read this sample as they read wireguard-go.
/// <c>set=1</c> is refused with <c>errno=-95</c> (-EOPNOTSUPP, negative as wireguard-go writes it): the configuration comes from the file.
/// </summary>
public sealed class UapiServer : IDisposable
{
    /// <summary>Where wg looks for userspace implementations.</summary>
    public const string Directory = "/var/run/wireguard";

    private const int MaxRequest = 64 * 1024;
    private readonly WireGuardDevice _device;
    private readonly TextWriter _log;
    private readonly Socket _listener;
    private readonly Thread _thread;
    private volatile bool _stopping;

    /// <summary>Listens on <c>/var/run/wireguard/<paramref name="name"/>.sock</c> (the path is machine-wide, not per namespace).</summary>
    public UapiServer(WireGuardDevice device, string name, TextWriter? log = null)
    {
        _device = device;
        _log = log ?? TextWriter.Null;
        Path = SocketPath(name);
        System.IO.Directory.CreateDirectory(Directory);
        File.Delete(Path); // a stale socket of a killed process; a live one with this name would be a name clash anyway
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            _listener.Bind(new UnixDomainSocketEndPoint(Path));
            _listener.Listen(4);
        }
        catch
        {
            _listener.Dispose();
            throw;
        }

        _thread = new Thread(Serve) { IsBackground = true, Name = "wg uapi" };
        _thread.Start();
    }

    /// <summary>The socket's path.</summary>
    public string Path { get; }

    /// <summary>The socket path of interface <paramref name="name"/>.</summary>
    public static string SocketPath(string name) => $"{Directory}/{name}.sock";

    /// <summary>The answer to <c>get=1</c>.</summary>
    public static string Get(WireGuardDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var text = new StringBuilder();
        text.Append("private_key=").Append(Convert.ToHexStringLower(device.Local.PrivateKey!)).Append('\n');
        text.Append("listen_port=").Append(device.ListenPort.ToString(CultureInfo.InvariantCulture)).Append('\n');
        var entries = device.Routes.Entries();
        foreach (Peer peer in device.Peers)
        {
            text.Append("public_key=").Append(Convert.ToHexStringLower(peer.Remote.PublicKey)).Append('\n');
            if (peer.PresharedKey.Length > 0)
            {
                text.Append("preshared_key=").Append(Convert.ToHexStringLower(peer.PresharedKey)).Append('\n');
            }

            text.Append("protocol_version=1\n");
            if (peer.Endpoint is { } endpoint)
            {
                text.Append("endpoint=").Append(endpoint.ToString()).Append('\n');
            }

            long ticks = peer.LatestHandshake is DateTimeOffset handshake ? (handshake - DateTimeOffset.UnixEpoch).Ticks : 0;
            text.Append("last_handshake_time_sec=").Append((ticks / TimeSpan.TicksPerSecond).ToString(CultureInfo.InvariantCulture)).Append('\n');
            text.Append("last_handshake_time_nsec=").Append((ticks % TimeSpan.TicksPerSecond * 100).ToString(CultureInfo.InvariantCulture)).Append('\n');
            text.Append("tx_bytes=").Append(peer.SentBytes.ToString(CultureInfo.InvariantCulture)).Append('\n');
            text.Append("rx_bytes=").Append(peer.ReceivedBytes.ToString(CultureInfo.InvariantCulture)).Append('\n');
            int keepalive = peer.PersistentKeepalive is TimeSpan interval ? (int)interval.TotalSeconds : 0;
            text.Append("persistent_keepalive_interval=").Append(keepalive.ToString(CultureInfo.InvariantCulture)).Append('\n');
            foreach ((LinuxNet.Route.IPPrefix prefix, Peer owner) in entries)
            {
                if (owner == peer)
                {
                    text.Append("allowed_ip=").Append(prefix.ToString()).Append('\n');
                }
            }
        }

        return text.Append("errno=0\n\n").ToString();
    }

    /// <summary>Stops serving and removes the socket file.</summary>
    public void Dispose()
    {
        _stopping = true;
        _thread.Join(TimeSpan.FromSeconds(2));
        _listener.Dispose();
        File.Delete(Path);
    }

    private void Serve()
    {
        while (!_stopping)
        {
            try
            {
                if (!_listener.Poll(TimeSpan.FromMilliseconds(200), SelectMode.SelectRead))
                {
                    continue;
                }

                using Socket connection = _listener.Accept();
                connection.ReceiveTimeout = 2000;
                connection.SendTimeout = 2000;
                string request = ReadRequest(connection);
                string answer = request.StartsWith("get=1\n", StringComparison.Ordinal) ? Get(_device) : "errno=-95\n\n";
                connection.Send(Encoding.ASCII.GetBytes(answer));
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                if (!_stopping)
                {
                    _log.WriteLine($"wireguard: uapi: {e.Message}");
                }
            }
        }
    }

    private static string ReadRequest(Socket connection)
    {
        var request = new StringBuilder();
        byte[] buffer = new byte[4096];
        while (request.Length < MaxRequest && !request.ToString().Contains("\n\n", StringComparison.Ordinal))
        {
            int n = connection.Receive(buffer);
            if (n == 0)
            {
                break;
            }

            request.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }

        return request.ToString();
    }
}
