using System;
using System.Text;
using Microsoft.Extensions.Logging;

namespace LinuxNet.Tun;

/// <summary>How to create (or attach to) a TUN/TAP device with <see cref="TunDevice.Create(TunDeviceOptions)"/>.</summary>
/// <remarks>
/// The options are validated by <see cref="TunDevice.Create(TunDeviceOptions)"/> before any system call; invalid or
/// contradictory values throw <see cref="ArgumentException"/>. The object is not used after the call returns.
/// </remarks>
public sealed class TunDeviceOptions
{
    /// <summary>The largest supported <see cref="VirtioNetHeaderSize"/>.</summary>
    public const int MaxVirtioNetHeaderSize = 64;

    /// <summary>
    /// The interface name (1 to 15 bytes; no <c>/</c>, <c>:</c> or whitespace; not <c>.</c> or <c>..</c>), or a
    /// pattern with one <c>%d</c> such as <c>vpn%d</c> that the kernel completes with the lowest free number.
    /// <see langword="null"/> (the default) means <c>tun%d</c> or <c>tap%d</c>.
    /// </summary>
    public string? Name { get; set; }

    /// <summary>TUN (IP packets, the default) or TAP (Ethernet frames).</summary>
    public TunMode Mode { get; set; } = TunMode.Tun;

    /// <summary>
    /// Whether every frame starts with the 4-byte <c>struct tun_pi</c> (flags, EtherType in network order).
    /// <see langword="false"/> by default (<c>IFF_NO_PI</c>).
    /// </summary>
    public bool PacketInformation { get; set; }

    /// <summary>
    /// Whether every frame starts with a <c>virtio_net_hdr</c> (<c>IFF_VNET_HDR</c>), which carries the GSO and
    /// checksum metadata that <see cref="Offloads"/> need. When the kernel lacks the feature the device falls back to
    /// plain frames and logs a warning; check <see cref="TunDevice.VirtioNetHeaderSize"/>.
    /// </summary>
    public bool VirtioNetHeader { get; set; }

    /// <summary>
    /// The size of the virtio-net header (<c>TUNSETVNETHDRSZ</c>): 10 (<c>virtio_net_hdr</c>, the kernel's default),
    /// 12 (<c>virtio_net_hdr_mrg_rxbuf</c>) or more, up to <see cref="MaxVirtioNetHeaderSize"/>.
    /// <see langword="null"/> keeps the kernel's default. Only valid with <see cref="VirtioNetHeader"/>.
    /// </summary>
    public int? VirtioNetHeaderSize { get; set; }

    /// <summary>Offloads to ask for (<c>TUNSETOFFLOAD</c>). Needs <see cref="VirtioNetHeader"/>; rejected flags are dropped and logged.</summary>
    public TunOffloads Offloads { get; set; }

    /// <summary>
    /// How many queues (descriptors) to open, 1 to 256. More than one makes a multi-queue device
    /// (<c>IFF_MULTI_QUEUE</c>): the kernel spreads flows over the queues by hash, and each queue can be read by its
    /// own thread.
    /// </summary>
    public int QueueCount { get; set; } = 1;

    /// <summary>
    /// Creates a multi-queue device even with one queue, so that more can be attached later
    /// (and so that a persistent multi-queue device can be reopened). Implied by <see cref="QueueCount"/> &gt; 1.
    /// </summary>
    public bool MultiQueue { get; set; }

    /// <summary>Whether the device outlives its descriptors (<c>TUNSETPERSIST</c>), like <c>ip tuntap add</c>.</summary>
    public bool Persistent { get; set; }

    /// <summary>The user id allowed to attach to the device without CAP_NET_ADMIN (<c>TUNSETOWNER</c>), or <see langword="null"/>.</summary>
    public int? Owner { get; set; }

    /// <summary>The group id allowed to attach to the device without CAP_NET_ADMIN (<c>TUNSETGROUP</c>), or <see langword="null"/>.</summary>
    public int? Group { get; set; }

    /// <summary>
    /// The device's send buffer in bytes (<c>TUNSETSNDBUF</c>): how much the program may have written that the kernel
    /// has not yet delivered. <see langword="null"/> keeps the kernel's default (unlimited).
    /// </summary>
    public int? SendBufferSize { get; set; }

    /// <summary>The logger factory for the device and its pipes; <see langword="null"/> logs nothing.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    internal bool IsMultiQueue => MultiQueue || QueueCount > 1;

    internal string EffectiveName => Name ?? (Mode == TunMode.Tap ? "tap%d" : "tun%d");

    /// <summary>Throws <see cref="ArgumentException"/> for invalid or contradictory values. Makes no system call.</summary>
    internal void Validate()
    {
        if (Mode is not (TunMode.Tun or TunMode.Tap))
        {
            throw new ArgumentException($"Mode {(int)Mode} is not a TunMode.", nameof(Mode));
        }

        if (Name is not null)
        {
            ValidateName(Name, nameof(Name), allowPattern: true);
        }

        if (QueueCount is < 1 or > LinuxIfTun.MAX_TAP_QUEUES)
        {
            throw new ArgumentException($"QueueCount must be between 1 and {LinuxIfTun.MAX_TAP_QUEUES} (the kernel's MAX_TAP_QUEUES); it is {QueueCount}.", nameof(QueueCount));
        }

        if (VirtioNetHeaderSize is int size)
        {
            if (!VirtioNetHeader)
            {
                throw new ArgumentException("VirtioNetHeaderSize is set but VirtioNetHeader is false.", nameof(VirtioNetHeaderSize));
            }

            if (size is < LinuxIfTun.VirtioNetHdrSize or > MaxVirtioNetHeaderSize)
            {
                throw new ArgumentException($"VirtioNetHeaderSize must be between {LinuxIfTun.VirtioNetHdrSize} and {MaxVirtioNetHeaderSize}; it is {size}.", nameof(VirtioNetHeaderSize));
            }
        }

        const TunOffloads all = TunOffloads.Checksum | TunOffloads.Tso4 | TunOffloads.Tso6 | TunOffloads.TsoEcn | TunOffloads.Ufo | TunOffloads.Uso4 | TunOffloads.Uso6;
        if ((Offloads & ~all) != 0)
        {
            throw new ArgumentException($"Offloads contains unknown flags 0x{(int)(Offloads & ~all):x}.", nameof(Offloads));
        }

        if (Offloads != TunOffloads.None)
        {
            if (!VirtioNetHeader)
            {
                throw new ArgumentException("Offloads need VirtioNetHeader: without the virtio-net header a GSO super-frame or partial checksum cannot be described.", nameof(Offloads));
            }

            if ((Offloads & TunOffloads.Checksum) == 0)
            {
                throw new ArgumentException("Segmentation offloads need TunOffloads.Checksum as well (the kernel rejects TSO/USO without TUN_F_CSUM).", nameof(Offloads));
            }
        }

        if (Owner is < 0)
        {
            throw new ArgumentException($"Owner must be a user id (>= 0); it is {Owner}.", nameof(Owner));
        }

        if (Group is < 0)
        {
            throw new ArgumentException($"Group must be a group id (>= 0); it is {Group}.", nameof(Group));
        }

        if (SendBufferSize is <= 0)
        {
            throw new ArgumentException($"SendBufferSize must be positive; it is {SendBufferSize}.", nameof(SendBufferSize));
        }
    }

    /// <summary>Checks an interface name the way the kernel's <c>dev_valid_name</c> does, and (optionally) a <c>%d</c> pattern.</summary>
    internal static void ValidateName(string name, string parameterName, bool allowPattern)
    {
        if (name.Length == 0)
        {
            throw new ArgumentException("An interface name cannot be empty.", parameterName);
        }

        int bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes > LinuxIf.IFNAMSIZ - 1)
        {
            throw new ArgumentException($"The interface name '{name}' is {bytes} bytes long; the kernel allows at most {LinuxIf.IFNAMSIZ - 1} (IFNAMSIZ - 1).", parameterName);
        }

        if (name is "." or "..")
        {
            throw new ArgumentException($"'{name}' is not a valid interface name.", parameterName);
        }

        int percent = -1;
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (c == '/' || c == ':' || c == '\0' || char.IsWhiteSpace(c))
            {
                throw new ArgumentException($"The interface name '{name}' contains '{(c == '\0' ? "\\0" : c.ToString())}', which the kernel does not allow in names.", parameterName);
            }

            if (c == '%')
            {
                if (!allowPattern || percent >= 0 || i + 1 >= name.Length || name[i + 1] != 'd')
                {
                    throw new ArgumentException($"The interface name '{name}' may contain '%' only as a single '%d' pattern.", parameterName);
                }

                percent = i;
            }
        }
    }
}
