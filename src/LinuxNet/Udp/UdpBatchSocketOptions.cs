using Microsoft.Extensions.Logging;

namespace LinuxNet.Udp;

/// <summary>How <see cref="UdpBatchSocket.Bind(System.Net.IPEndPoint, UdpBatchSocketOptions?)"/> sets up a socket.</summary>
public sealed class UdpBatchSocketOptions
{
    /// <summary>
    /// Whether the kernel may coalesce received datagrams of one flow into one entry (<c>UDP_GRO</c>, Linux 5.0+);
    /// <see cref="UdpBatch.GetSegmentSize"/> then says where each datagram ends. Default <see langword="false"/>.
    /// Use batches with 65,535-byte buffers.
    /// </summary>
    public bool ReceiveOffload { get; set; }

    /// <summary>The socket's receive buffer (<c>SO_RCVBUF</c>, or <c>SO_RCVBUFFORCE</c> above <c>rmem_max</c> with CAP_NET_ADMIN); <see langword="null"/> for the system default.</summary>
    public int? ReceiveBufferSize { get; set; }

    /// <summary>The socket's send buffer (<c>SO_SNDBUF</c>, or <c>SO_SNDBUFFORCE</c> above <c>wmem_max</c> with CAP_NET_ADMIN); <see langword="null"/> for the system default.</summary>
    public int? SendBufferSize { get; set; }

    /// <summary>For an IPv6 socket: whether it takes IPv6 traffic only (<c>IPV6_V6ONLY</c>); <see langword="null"/> for the system default (dual-stack).</summary>
    public bool? IPv6Only { get; set; }

    /// <summary>Where to log the socket's life and its fallbacks; <see langword="null"/> for none.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}
