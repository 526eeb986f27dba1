using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using LinuxNet.Netlink;
using LinuxNet.Route;

namespace LinuxNet.Genl;

/// <summary>
/// Requests and dumps for a generic netlink family by name: the family id is resolved through <c>nlctrl</c>, cached
/// for the session, and resolved again once when the kernel refuses a cached id (the family went away and came back,
/// e.g. a module reload). Runs every request through the shared <see cref="RequestPipeline"/>, synchronous or
/// asynchronous by <c>TWait</c>, from one body.
/// </summary>
internal sealed class GenericRequestPipeline
{
    private static readonly ReplyParser<GenericNetlinkFamily> ParseFamily = FamilyMessages.Parse;
    private static readonly RequestEncoder<string?> EncodeFamily = FamilyMessages.WriteGet;

    private readonly ConcurrentDictionary<string, GenericNetlinkFamily> _families = new(StringComparer.Ordinal);

    internal GenericRequestPipeline(NetlinkSocket socket) => Pipeline = new RequestPipeline(socket);

    internal RequestPipeline Pipeline { get; }

    /// <summary>The family named <paramref name="name"/>: from the cache, or asked of <c>nlctrl</c> when absent or <paramref name="refresh"/>.</summary>
    /// <exception cref="ArgumentException">The name is empty or longer than <c>GENL_NAMSIZ</c> - 1 bytes.</exception>
    /// <exception cref="NetlinkException">The kernel has no family by that name (<c>ENOENT</c>, the message names it).</exception>
    internal async ValueTask<GenericNetlinkFamily> GetFamilyAsync<TWait>(string name, bool refresh, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        ValidateFamilyName(name);
        if (!refresh && _families.TryGetValue(name, out GenericNetlinkFamily? cached))
        {
            return cached;
        }

        List<GenericNetlinkFamily> found;
        try
        {
            found = await Pipeline.ListAsync<TWait, string?, GenericNetlinkFamily>(name, EncodeFamily, ParseFamily, cancellationToken).ConfigureAwait(false);
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENOENT)
        {
            _families.TryRemove(name, out _);
            throw RequestPipeline.Rewrap(e, "generic netlink", $"generic netlink: the kernel has no family named '{name}' (is its module loaded?)");
        }

        GenericNetlinkFamily family = found.Count == 1 ? found[0] : throw new NetlinkProtocolException($"nlctrl answered a get of '{name}' with {found.Count} families.");
        _families[name] = family;
        return family;
    }

    /// <summary>Puts a family into the cache as if it had been resolved (tests use it to stand for a family that went away).</summary>
    internal void SetCached(GenericNetlinkFamily family) => _families[family.Name] = family;

    /// <summary>Every registered family (<c>genl ctrl list</c>); refreshes the cache.</summary>
    internal async ValueTask<List<GenericNetlinkFamily>> ListFamiliesAsync<TWait>(CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        List<GenericNetlinkFamily> families = await Pipeline.ListAsync<TWait, string?, GenericNetlinkFamily>(null, EncodeFamily, ParseFamily, cancellationToken).ConfigureAwait(false);
        foreach (GenericNetlinkFamily family in families)
        {
            _families[family.Name] = family;
        }

        return families;
    }

    /// <summary>Sends one request of family <paramref name="family"/> and passes each data message of the reply to <paramref name="handler"/>.</summary>
    /// <remarks>
    /// The encoder receives the family id with the argument. When the kernel answers <c>ENOENT</c> or <c>EINVAL</c>
    /// the family is resolved again; only if its id changed is the request sent once more, so a refusal that has
    /// nothing to do with the id is reported as it came.
    /// </remarks>
    internal async ValueTask<int> QueryAsync<TWait, TArg, TState>(string family, TArg argument, RequestEncoder<(ushort Family, TArg Argument)> encode, TState state, NetlinkMessageHandler<TState>? handler, Action<TState>? restart, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        GenericNetlinkFamily resolved = await GetFamilyAsync<TWait>(family, refresh: false, cancellationToken).ConfigureAwait(false);
        try
        {
            return await Pipeline.QueryAsync<TWait, (ushort, TArg), TState>((resolved.Id, argument), encode, state, handler, restart, cancellationToken).ConfigureAwait(false);
        }
        catch (NetlinkException e) when (e.Errno is Errno.ENOENT or Errno.EINVAL or Errno.EOPNOTSUPP)
        {
            GenericNetlinkFamily again = await GetFamilyAsync<TWait>(family, refresh: true, cancellationToken).ConfigureAwait(false);
            if (again.Id == resolved.Id)
            {
                throw;
            }

            restart?.Invoke(state);
            return await Pipeline.QueryAsync<TWait, (ushort, TArg), TState>((again.Id, argument), encode, state, handler, restart, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sends one request of family <paramref name="family"/> and waits for the acknowledgement.</summary>
    internal async ValueTask ExecuteAsync<TWait, TArg>(string family, TArg argument, RequestEncoder<(ushort Family, TArg Argument)> encode, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
        => await QueryAsync<TWait, TArg, object?>(family, argument, encode, null, null, null, cancellationToken).ConfigureAwait(false);

    /// <summary>Sends one get or dump of family <paramref name="family"/> and parses every data message with <paramref name="parse"/>.</summary>
    internal async ValueTask<List<T>> ListAsync<TWait, TArg, T>(string family, TArg argument, RequestEncoder<(ushort Family, TArg Argument)> encode, ReplyParser<T> parse, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
        where T : class
    {
        var items = new List<T>();
        await QueryAsync<TWait, TArg, (List<T> Items, ReplyParser<T> Parse)>(family, argument, encode, (items, parse), ListHandler<T>.Add, ListHandler<T>.Clear, cancellationToken).ConfigureAwait(false);
        return items;
    }

    /// <summary>Begins a request of a family: <c>nlmsghdr</c> with the family id, then <c>genlmsghdr</c>.</summary>
    internal static void Begin(ref NetlinkMessageWriter writer, ushort family, byte command, byte version, NetlinkMessageFlags flags)
    {
        writer.BeginMessage(family, flags);
        writer.WriteHeader(new GenlMsgHdr { Cmd = command, Version = version });
    }

    /// <summary>The command of a generic netlink message (<c>genlmsghdr.cmd</c>).</summary>
    internal static byte Command(NetlinkMessage message) => message.ReadHeader<GenlMsgHdr>().Cmd;

    /// <summary>Rejects a family name that nlctrl could never match (empty, or longer than <c>GENL_NAMSIZ</c> - 1).</summary>
    internal static void ValidateFamilyName(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException("A generic netlink family name must not be empty.", nameof(name));
        }

        if (System.Text.Encoding.UTF8.GetByteCount(name) >= LinuxGenetlink.GENL_NAMSIZ)
        {
            throw new ArgumentException($"'{name}' is longer than a generic netlink family name can be ({LinuxGenetlink.GENL_NAMSIZ - 1} bytes).", nameof(name));
        }
    }

    private static class ListHandler<T>
        where T : class
    {
        internal static readonly NetlinkMessageHandler<(List<T> Items, ReplyParser<T> Parse)> Add = static (message, state) =>
        {
            if (state.Parse(message) is { } item)
            {
                state.Items.Add(item);
            }
        };

        internal static readonly Action<(List<T> Items, ReplyParser<T> Parse)> Clear = static state => state.Items.Clear();
    }
}
