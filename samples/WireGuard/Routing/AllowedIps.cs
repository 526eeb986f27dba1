using LinuxNet.Route;
using System.Net;
using System.Net.Sockets;

namespace LinuxNet.Samples.WireGuard.Routing;

/// <summary>
/// Cryptokey routing (whitepaper section 2): a binary trie per address family from allowed-IP prefixes to peers.
/// <see cref="Lookup"/> finds the peer of the longest matching prefix, for an outgoing packet's destination and for
/// an incoming packet's source (which must route back to the peer it came from). Inserting a prefix that another
/// peer holds moves it, as <c>wg set</c> does.
/// </summary>
/// <typeparam name="T">The peer type.</typeparam>
/// <remarks>Lookups allocate nothing and may run on any thread; changes must not race with them.</remarks>
public sealed class AllowedIps<T>
    where T : class
{
    private readonly Node _v4 = new();
    private readonly Node _v6 = new();

    /// <summary>Routes <paramref name="prefix"/> (host bits are ignored) to <paramref name="value"/>.</summary>
    public void Insert(IPPrefix prefix, T value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Span<byte> address = stackalloc byte[16];
        Node node = Root(prefix.Address, address, out int length);
        for (int bit = 0; bit < prefix.PrefixLength; bit++)
        {
            int branch = Bit(address[..length], bit);
            node = node.Children[branch] ??= new Node();
        }

        node.Value = value;
    }

    /// <summary>The peer of the longest prefix containing <paramref name="address"/> (4 or 16 bytes), or <see langword="null"/>.</summary>
    public T? Lookup(ReadOnlySpan<byte> address)
    {
        Node? node = address.Length switch
        {
            4 => _v4,
            16 => _v6,
            _ => throw new ArgumentException("an address is 4 or 16 bytes", nameof(address)),
        };
        T? best = node.Value;
        for (int bit = 0; bit < address.Length * 8; bit++)
        {
            node = node.Children[Bit(address, bit)];
            if (node is null)
            {
                break;
            }

            best = node.Value ?? best;
        }

        return best;
    }

    /// <summary>The peer routing <paramref name="address"/>, or <see langword="null"/>.</summary>
    public T? Lookup(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out int length);
        return Lookup(bytes[..length]);
    }

    /// <summary>Every prefix and its peer, IPv4 first, each family in address order.</summary>
    public IReadOnlyList<(IPPrefix Prefix, T Value)> Entries()
    {
        var entries = new List<(IPPrefix, T)>();
        Collect(_v4, new byte[4], 0, entries);
        Collect(_v6, new byte[16], 0, entries);
        return entries;
    }

    private Node Root(IPAddress address, Span<byte> bytes, out int length)
    {
        address.TryWriteBytes(bytes, out length);
        return address.AddressFamily == AddressFamily.InterNetwork ? _v4 : _v6;
    }

    private static int Bit(ReadOnlySpan<byte> address, int bit) => (address[bit >> 3] >> (7 - (bit & 7))) & 1;

    private static void Collect(Node node, byte[] address, int depth, List<(IPPrefix, T)> entries)
    {
        if (node.Value is not null)
        {
            entries.Add((new IPPrefix(new IPAddress(address), depth), node.Value));
        }

        for (int branch = 0; branch < 2; branch++)
        {
            Node? child = node.Children[branch];
            if (child is null)
            {
                continue;
            }

            byte[] next = (byte[])address.Clone();
            if (branch == 1)
            {
                next[depth >> 3] |= (byte)(0x80 >> (depth & 7));
            }

            Collect(child, next, depth + 1, entries);
        }
    }

    private sealed class Node
    {
        public Node?[] Children { get; } = new Node?[2];

        public T? Value { get; set; }
    }
}
