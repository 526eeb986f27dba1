using System;
using System.Net.NetworkInformation;
using System.Runtime.InteropServices;
using LinuxNet.Namespaces;
using LinuxNet.Netlink;
using LinuxNet.Route;

namespace LinuxNet.Compat.NetStandard;

/// <summary>
/// Calls into LinuxNet the way a netstandard2.0 library does: every call below was bound at compile time against the
/// netstandard2.0 asset, so its member references carry that asset's signatures (init accessors' modreq included).
/// </summary>
public static class NetStandardConsumer
{
    /// <summary>Sets init-only properties of a link spec (base and derived) and reads them back.</summary>
    /// <returns>The values read back, as text.</returns>
    public static string BuildVethSpec(NetNamespace? peerNamespace)
    {
        var spec = new VethLinkSpec("cmp0", "cmp1")
        {
            PeerNamespace = peerNamespace,
            PeerAddress = PhysicalAddress.Parse("02-00-00-00-00-01"),
            Mtu = 1400,
            TransmitQueueLength = 500,
        };
        return $"{spec.Name} {spec.PeerName} {spec.PeerNamespace is not null} {spec.PeerAddress} {spec.Mtu} {spec.TransmitQueueLength}";
    }

    /// <summary>A nullable-annotated API with an out parameter and a struct result.</summary>
    /// <returns>The canonical prefix text, or <see langword="null"/> when it does not parse.</returns>
    public static string? ParsePrefix(string? text) => IPPrefix.TryParse(text, out IPPrefix prefix) ? prefix.ToString() : null;

    /// <summary>
    /// Writes a netlink request with an <c>in</c> (modreq InAttribute) generic struct parameter and sends it on a
    /// netlink socket opened inside <paramref name="ns"/>: an RTM_GETLINK dump.
    /// </summary>
    /// <returns>The names of the links the kernel reported.</returns>
    public static string DumpLinkNames(NetNamespace ns)
    {
        if (ns is null)
        {
            throw new ArgumentNullException(nameof(ns));
        }

        return ns.Run(() =>
        {
            using NetlinkSocket socket = NetlinkSocket.Open(0);
            byte[] buffer = new byte[256];
            var writer = new NetlinkMessageWriter(buffer);
            writer.BeginMessage(18 /* RTM_GETLINK */, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump);
            writer.WriteHeader(new InterfaceInfoHeader { Family = 0 });
            int length = writer.EndMessage();
            var names = new System.Text.StringBuilder();
            socket.Query(buffer.AsSpan(0, length), names, static (NetlinkMessage message, System.Text.StringBuilder state) =>
            {
                foreach (NetlinkAttribute attribute in message.GetAttributes<InterfaceInfoHeader>())
                {
                    if (attribute.Type == 3 /* IFLA_IFNAME */)
                    {
                        state.Append(attribute.GetString()).Append(' ');
                    }
                }
            });
            return names.ToString().TrimEnd();
        });
    }

    /// <summary><c>struct ifinfomsg</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct InterfaceInfoHeader
    {
        public byte Family;
        public byte Padding;
        public ushort Type;
        public int Index;
        public uint Flags;
        public uint Change;
    }
}
