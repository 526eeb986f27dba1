using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using LinuxNet.Netlink;
using LinuxNet.Route;
using static LinuxNet.LinuxEthtoolNetlink;

namespace LinuxNet.Genl.Ethtool;

/// <summary>
/// What <c>ethtool</c> does over netlink (generic netlink family <c>ethtool</c>): features (<c>-k</c>/<c>-K</c>), link
/// settings and state (<c>ethtool DEV</c>), channels (<c>-l</c>/<c>-L</c>), rings (<c>-g</c>) and private flags
/// (<c>--show-priv-flags</c>), for devices of the session's namespace (<see cref="GenericNetlinkSession.Ethtool"/>).
/// </summary>
/// <remarks>
/// <para>Devices are named by <see cref="LinkReference"/>: a name is sent as is (<c>ETHTOOL_A_HEADER_DEV_NAME</c>), as ethtool does.</para>
/// <para>Safe for concurrent use. Changing settings needs <c>CAP_NET_ADMIN</c> in the session's namespace.</para>
/// </remarks>
public sealed class EthtoolManager
{
    private const string Family = ETHTOOL_GENL_NAME;

    private static readonly RequestEncoder<(ushort Family, (byte Command, LinkReference Link, uint Flags) Argument)> EncodeGet = EthtoolMessages.WriteGet;
    private static readonly RequestEncoder<(ushort Family, uint Argument)> EncodeStringSet = static (ref NetlinkMessageWriter writer, (ushort Family, uint Argument) a) => EthtoolMessages.WriteStringSetGet(ref writer, a);
    private static readonly RequestEncoder<(ushort Family, (LinkReference Link, IReadOnlyList<KeyValuePair<string, bool>> Features) Argument)> EncodeFeaturesSet = EthtoolMessages.WriteFeaturesSet;
    private static readonly RequestEncoder<(ushort Family, (LinkReference Link, uint? Rx, uint? Tx, uint? Other, uint? Combined) Argument)> EncodeChannelsSet = EthtoolMessages.WriteChannelsSet;
    private static readonly ReplyParser<string[]> ParseStrings = EthtoolMessages.ParseStringSet;
    private static readonly ReplyParser<EthtoolFeatureBits> ParseFeatureBits = EthtoolMessages.ParseFeatures;
    private static readonly ReplyParser<EthtoolChannels> ParseChannels = EthtoolMessages.ParseChannels;
    private static readonly ReplyParser<EthtoolRings> ParseRings = EthtoolMessages.ParseRings;
    private static readonly ReplyParser<List<EthtoolPrivateFlag>> ParsePrivateFlags = EthtoolMessages.ParsePrivateFlags;
    private static readonly NetlinkMessageHandler<EthtoolLinkInfo> ReadLink = EthtoolMessages.ReadLink;

    private readonly GenericNetlinkSession _session;
    private string[]? _featureNames;

    internal EthtoolManager(GenericNetlinkSession session) => _session = session;

    private GenericRequestPipeline Pipeline => _session.Pipeline;

    /// <summary>Reads a device's features under the kernel's names. Equivalent to <c>ethtool -k DEV</c>.</summary>
    /// <param name="link">The device.</param>
    /// <returns>Every feature the kernel names, in its order, with active, requested and fixed state.</returns>
    /// <exception cref="ArgumentException"><paramref name="link"/> is not a valid name or index.</exception>
    /// <exception cref="NetlinkException">No such device (<c>ENODEV</c>), no ethtool family, or another refusal.</exception>
    public IReadOnlyList<EthtoolFeature> GetFeatures(LinkReference link) => SyncWait.Complete(GetFeaturesCoreAsync<SyncWait>(Validate(link), default));

    /// <summary>Reads a device's features asynchronously. Equivalent to <c>ethtool -k DEV</c>.</summary>
    /// <param name="link">The device.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>Every feature the kernel names.</returns>
    /// <exception cref="ArgumentException"><paramref name="link"/> is not a valid name or index.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask<IReadOnlyList<EthtoolFeature>> GetFeaturesAsync(LinkReference link, CancellationToken cancellationToken = default)
        => GetFeaturesCoreAsync<AsyncWait>(Validate(link), cancellationToken);

    /// <summary>
    /// Switches features on or off by the kernel's names and returns what the kernel reports as changed or not as
    /// requested. Equivalent to <c>ethtool -K DEV NAME on|off …</c>.
    /// </summary>
    /// <param name="link">The device.</param>
    /// <param name="features">Feature names (e.g. <c>rx-gro</c>) and the wanted state, sent in this order.</param>
    /// <returns>
    /// The kernel's "actual changes": features that changed, and features that are not as requested
    /// (<see cref="EthtoolFeatureChange.AsRequested"/> false, e.g. a fixed one). None changed is what
    /// <c>ethtool</c> reports as "Could not change any device features".
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="features"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No feature given, or a name the kernel does not know (checked before the change is sent).</exception>
    /// <exception cref="NetlinkException">The kernel refused, with its text (e.g. "attempt to change non-ethtool features").</exception>
    public IReadOnlyList<EthtoolFeatureChange> SetFeatures(LinkReference link, IEnumerable<KeyValuePair<string, bool>> features)
        => SyncWait.Complete(SetFeaturesCoreAsync<SyncWait>(Validate(link), ToList(features), default));

    /// <summary>Switches features asynchronously. Equivalent to <c>ethtool -K DEV NAME on|off …</c>.</summary>
    /// <param name="link">The device.</param>
    /// <param name="features">Feature names and the wanted state.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>The kernel's actual changes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="features"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No feature given, or an unknown name.</exception>
    /// <exception cref="NetlinkException">The kernel refused, with its text.</exception>
    public ValueTask<IReadOnlyList<EthtoolFeatureChange>> SetFeaturesAsync(LinkReference link, IEnumerable<KeyValuePair<string, bool>> features, CancellationToken cancellationToken = default)
        => SetFeaturesCoreAsync<AsyncWait>(Validate(link), ToList(features), cancellationToken);

    /// <summary>Reads speed, duplex, auto-negotiation, port and link state. Equivalent to <c>ethtool DEV</c>.</summary>
    /// <param name="link">The device.</param>
    /// <returns>The link's settings and state.</returns>
    /// <exception cref="ArgumentException"><paramref name="link"/> is not a valid name or index.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public EthtoolLinkInfo GetLinkInfo(LinkReference link) => SyncWait.Complete(GetLinkInfoCoreAsync<SyncWait>(Validate(link), default));

    /// <summary>Reads the link's settings and state asynchronously. Equivalent to <c>ethtool DEV</c>.</summary>
    /// <param name="link">The device.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>The link's settings and state.</returns>
    /// <exception cref="ArgumentException"><paramref name="link"/> is not a valid name or index.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask<EthtoolLinkInfo> GetLinkInfoAsync(LinkReference link, CancellationToken cancellationToken = default)
        => GetLinkInfoCoreAsync<AsyncWait>(Validate(link), cancellationToken);

    /// <summary>Reads the channel counts. Equivalent to <c>ethtool -l DEV</c>.</summary>
    /// <param name="link">The device.</param>
    /// <returns>The maximums and current counts.</returns>
    /// <exception cref="ArgumentException"><paramref name="link"/> is not a valid name or index.</exception>
    /// <exception cref="NetlinkException">The kernel refused, e.g. <c>EOPNOTSUPP</c> when the driver has no channels.</exception>
    public EthtoolChannels GetChannels(LinkReference link) => SyncWait.Complete(GetOneAsync<SyncWait, EthtoolChannels>(Validate(link), ETHTOOL_MSG_CHANNELS_GET, 0, ParseChannels, default));

    /// <summary>Reads the channel counts asynchronously. Equivalent to <c>ethtool -l DEV</c>.</summary>
    /// <param name="link">The device.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>The maximums and current counts.</returns>
    /// <exception cref="ArgumentException"><paramref name="link"/> is not a valid name or index.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask<EthtoolChannels> GetChannelsAsync(LinkReference link, CancellationToken cancellationToken = default)
        => GetOneAsync<AsyncWait, EthtoolChannels>(Validate(link), ETHTOOL_MSG_CHANNELS_GET, 0, ParseChannels, cancellationToken);

    /// <summary>Sets channel counts; counts left <see langword="null"/> stay. Equivalent to <c>ethtool -L DEV [rx N] [tx N] [other N] [combined N]</c>.</summary>
    /// <param name="link">The device.</param>
    /// <param name="rx">Receive-only channels.</param>
    /// <param name="tx">Transmit-only channels.</param>
    /// <param name="other">Other channels.</param>
    /// <param name="combined">Combined channels.</param>
    /// <exception cref="ArgumentException">No count given, or <paramref name="link"/> is not valid.</exception>
    /// <exception cref="NetlinkException">The kernel refused with its text, e.g. "requested channel count exceeds maximum".</exception>
    public void SetChannels(LinkReference link, uint? rx = null, uint? tx = null, uint? other = null, uint? combined = null)
        => SyncWait.Complete(SetChannelsCoreAsync<SyncWait>(ValidateChannels(link, rx, tx, other, combined), default));

    /// <summary>Sets channel counts asynchronously. Equivalent to <c>ethtool -L DEV …</c>.</summary>
    /// <param name="link">The device.</param>
    /// <param name="rx">Receive-only channels.</param>
    /// <param name="tx">Transmit-only channels.</param>
    /// <param name="other">Other channels.</param>
    /// <param name="combined">Combined channels.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>A task that completes when the kernel acknowledged the change.</returns>
    /// <exception cref="ArgumentException">No count given, or <paramref name="link"/> is not valid.</exception>
    /// <exception cref="NetlinkException">The kernel refused with its text.</exception>
    public ValueTask SetChannelsAsync(LinkReference link, uint? rx = null, uint? tx = null, uint? other = null, uint? combined = null, CancellationToken cancellationToken = default)
        => SetChannelsCoreAsync<AsyncWait>(ValidateChannels(link, rx, tx, other, combined), cancellationToken);

    /// <summary>Reads the ring sizes. Equivalent to <c>ethtool -g DEV</c>.</summary>
    /// <param name="link">The device.</param>
    /// <returns>The maximums and current sizes.</returns>
    /// <exception cref="ArgumentException"><paramref name="link"/> is not a valid name or index.</exception>
    /// <exception cref="NetlinkException">The kernel refused, e.g. <c>EOPNOTSUPP</c> for veth.</exception>
    public EthtoolRings GetRings(LinkReference link) => SyncWait.Complete(GetOneAsync<SyncWait, EthtoolRings>(Validate(link), ETHTOOL_MSG_RINGS_GET, 0, ParseRings, default));

    /// <summary>Reads the ring sizes asynchronously. Equivalent to <c>ethtool -g DEV</c>.</summary>
    /// <param name="link">The device.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>The maximums and current sizes.</returns>
    /// <exception cref="ArgumentException"><paramref name="link"/> is not a valid name or index.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public ValueTask<EthtoolRings> GetRingsAsync(LinkReference link, CancellationToken cancellationToken = default)
        => GetOneAsync<AsyncWait, EthtoolRings>(Validate(link), ETHTOOL_MSG_RINGS_GET, 0, ParseRings, cancellationToken);

    /// <summary>Reads the driver's private flags. Equivalent to <c>ethtool --show-priv-flags DEV</c>.</summary>
    /// <param name="link">The device.</param>
    /// <returns>The flags with their names; empty when the driver has none.</returns>
    /// <exception cref="ArgumentException"><paramref name="link"/> is not a valid name or index.</exception>
    /// <exception cref="NetlinkException">The kernel refused, e.g. <c>EOPNOTSUPP</c>.</exception>
    public IReadOnlyList<EthtoolPrivateFlag> GetPrivateFlags(LinkReference link) => SyncWait.Complete(GetOneAsync<SyncWait, List<EthtoolPrivateFlag>>(Validate(link), ETHTOOL_MSG_PRIVFLAGS_GET, 0, ParsePrivateFlags, default));

    /// <summary>Reads the driver's private flags asynchronously. Equivalent to <c>ethtool --show-priv-flags DEV</c>.</summary>
    /// <param name="link">The device.</param>
    /// <param name="cancellationToken">Cancels the wait for the kernel's answer.</param>
    /// <returns>The flags.</returns>
    /// <exception cref="ArgumentException"><paramref name="link"/> is not a valid name or index.</exception>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public async ValueTask<IReadOnlyList<EthtoolPrivateFlag>> GetPrivateFlagsAsync(LinkReference link, CancellationToken cancellationToken = default)
        => await GetOneAsync<AsyncWait, List<EthtoolPrivateFlag>>(Validate(link), ETHTOOL_MSG_PRIVFLAGS_GET, 0, ParsePrivateFlags, cancellationToken).ConfigureAwait(false);

    private static LinkReference Validate(LinkReference link, string parameterName = "link")
    {
        if (link.IsName)
        {
            InterfaceName.Validate(link.Name, parameterName);
        }
        else if (link.Index <= 0)
        {
            throw new ArgumentException("A device is named by its name or a positive interface index.", parameterName);
        }

        return link;
    }

    private static (LinkReference, uint?, uint?, uint?, uint?) ValidateChannels(LinkReference link, uint? rx, uint? tx, uint? other, uint? combined)
    {
        Validate(link);
        if (rx is null && tx is null && other is null && combined is null)
        {
            throw new ArgumentException("Give at least one channel count to change (rx, tx, other or combined).", nameof(rx));
        }

        return (link, rx, tx, other, combined);
    }

    private static List<KeyValuePair<string, bool>> ToList(IEnumerable<KeyValuePair<string, bool>> features)
    {
        if (features is null)
        {
            throw new ArgumentNullException(nameof(features));
        }

        var list = new List<KeyValuePair<string, bool>>(features);
        if (list.Count == 0)
        {
            throw new ArgumentException("Give at least one feature to change.", nameof(features));
        }

        return list;
    }

    private async ValueTask<T> GetOneAsync<TWait, T>(LinkReference link, byte command, uint flags, ReplyParser<T> parse, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
        where T : class
    {
        List<T> items = await Pipeline.ListAsync<TWait, (byte, LinkReference, uint), T>(Family, (command, link, flags), EncodeGet, parse, cancellationToken).ConfigureAwait(false);
        return items.Count == 1 ? items[0] : throw new NetlinkProtocolException($"ethtool answered a get of '{link}' with {items.Count} replies.");
    }

    private async ValueTask<string[]> GetFeatureNamesAsync<TWait>(CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        if (_featureNames is { } cached)
        {
            return cached;
        }

        List<string[]> sets = await Pipeline.ListAsync<TWait, uint, string[]>(Family, ETH_SS_FEATURES, EncodeStringSet, ParseStrings, cancellationToken).ConfigureAwait(false);
        string[] names = sets.Count == 1 ? sets[0] : throw new NetlinkProtocolException($"ethtool answered the feature names request with {sets.Count} replies.");
        _featureNames = names;
        return names;
    }

    private async ValueTask<IReadOnlyList<EthtoolFeature>> GetFeaturesCoreAsync<TWait>(LinkReference link, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        string[] names = await GetFeatureNamesAsync<TWait>(cancellationToken).ConfigureAwait(false);
        EthtoolFeatureBits bits = await GetOneAsync<TWait, EthtoolFeatureBits>(link, ETHTOOL_MSG_FEATURES_GET, ETHTOOL_FLAG_COMPACT_BITSETS, ParseFeatureBits, cancellationToken).ConfigureAwait(false);
        var features = new List<EthtoolFeature>(names.Length);
        for (int i = 0; i < names.Length; i++)
        {
            if (names[i].Length == 0)
            {
                continue;
            }

            bool hardware = bits.Hardware?.Value(i) ?? false;
            bool noChange = bits.NoChange?.Value(i) ?? false;
            features.Add(new EthtoolFeature(names[i], bits.Active?.Value(i) ?? false, bits.Wanted?.Value(i) ?? false, !hardware || noChange, hardware && !noChange));
        }

        return features;
    }

    private async ValueTask<IReadOnlyList<EthtoolFeatureChange>> SetFeaturesCoreAsync<TWait>(LinkReference link, List<KeyValuePair<string, bool>> features, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        string[] names = await GetFeatureNamesAsync<TWait>(cancellationToken).ConfigureAwait(false);
        foreach (KeyValuePair<string, bool> feature in features)
        {
            if (Array.IndexOf(names, feature.Key) < 0 || feature.Key.Length == 0)
            {
                throw new ArgumentException($"'{feature.Key}' is not a feature name this kernel knows (see ethtool -k; names such as rx-gro, tx-tcp-segmentation).", nameof(features));
            }
        }

        List<EthtoolFeatureBits> replies = await Pipeline.ListAsync<TWait, (LinkReference, IReadOnlyList<KeyValuePair<string, bool>>), EthtoolFeatureBits>(Family, (link, features), EncodeFeaturesSet, ParseFeatureBits, cancellationToken).ConfigureAwait(false);
        var changes = new List<EthtoolFeatureChange>();
        if (replies.Count == 0)
        {
            return changes;
        }

        EthtoolBitset? wanted = replies[0].Wanted;
        EthtoolBitset? active = replies[0].Active;
        for (int i = 0; i < names.Length; i++)
        {
            bool changed = active is not null && !active.NoMask && active.InMask(i);
            bool refused = wanted is not null && !wanted.NoMask && wanted.InMask(i);
            if (changed || refused)
            {
                // WANTED carries the requested value where the result differs from it; ACTIVE the new value where it changed.
                bool state = changed ? active!.Value(i) : !wanted!.Value(i);
                changes.Add(new EthtoolFeatureChange(names[i], state, changed, !refused));
            }
        }

        return changes;
    }

    private async ValueTask<EthtoolLinkInfo> GetLinkInfoCoreAsync<TWait>(LinkReference link, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        var info = new EthtoolLinkInfo();
        await Pipeline.QueryAsync<TWait, (byte, LinkReference, uint), EthtoolLinkInfo>(Family, (ETHTOOL_MSG_LINKINFO_GET, link, 0u), EncodeGet, info, ReadLink, null, cancellationToken).ConfigureAwait(false);
        await Pipeline.QueryAsync<TWait, (byte, LinkReference, uint), EthtoolLinkInfo>(Family, (ETHTOOL_MSG_LINKMODES_GET, link, 0u), EncodeGet, info, ReadLink, null, cancellationToken).ConfigureAwait(false);
        await Pipeline.QueryAsync<TWait, (byte, LinkReference, uint), EthtoolLinkInfo>(Family, (ETHTOOL_MSG_LINKSTATE_GET, link, 0u), EncodeGet, info, ReadLink, null, cancellationToken).ConfigureAwait(false);
        return info;
    }

    private ValueTask SetChannelsCoreAsync<TWait>((LinkReference, uint?, uint?, uint?, uint?) request, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
        => Pipeline.ExecuteAsync<TWait, (LinkReference, uint?, uint?, uint?, uint?)>(Family, request, EncodeChannelsSet, cancellationToken);
}
