using System;
using System.Threading;
using System.Threading.Tasks;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

// Alternative names: ip link property add|del dev LINK altname NAME.
public sealed partial class LinkManager
{
    /// <summary>Gives a link an alternative name, by which it can then be named anywhere. Equivalent to <c>ip link property add dev LINK altname NAME</c>.</summary>
    /// <param name="link">The link's name (or one of its alternative names) or index.</param>
    /// <param name="alternativeName">The new name: 1 to 127 bytes of UTF-8, no <c>/</c> or whitespace.</param>
    /// <remarks>Needs <c>CAP_NET_ADMIN</c> and kernel 5.5 or later. The name lives in the same table as interface names: it may not equal another link's name or alternative name.</remarks>
    /// <exception cref="ArgumentException"><paramref name="alternativeName"/> is empty, too long or holds <c>/</c> or whitespace, or the link's name is invalid (checked before anything is sent).</exception>
    /// <exception cref="NetlinkException">No such link, or the kernel refused with its text (<c>EEXIST</c> when the name is taken).</exception>
    public void AddAlternativeName(LinkReference link, string alternativeName)
        => SyncWait.Complete(AlternativeNameCoreAsync<SyncWait>(link, alternativeName, add: true, default));

    /// <summary>Gives a link an alternative name, asynchronously. Equivalent to <c>ip link property add dev LINK altname NAME</c>.</summary>
    /// <param name="link">The link's name or index.</param>
    /// <param name="alternativeName">The new name: 1 to 127 bytes, no <c>/</c> or whitespace.</param>
    /// <param name="cancellationToken">Cancels the wait for the reply.</param>
    /// <returns>A task that completes when the kernel acknowledged.</returns>
    /// <exception cref="ArgumentException">A name is invalid (checked before anything is sent).</exception>
    /// <exception cref="NetlinkException">No such link, or the kernel refused with its text.</exception>
    public ValueTask AddAlternativeNameAsync(LinkReference link, string alternativeName, CancellationToken cancellationToken = default)
        => AlternativeNameCoreAsync<AsyncWait>(link, alternativeName, add: true, cancellationToken);

    /// <summary>Removes an alternative name from a link. Equivalent to <c>ip link property del dev LINK altname NAME</c>.</summary>
    /// <param name="link">The link's name or index.</param>
    /// <param name="alternativeName">The alternative name to remove.</param>
    /// <exception cref="ArgumentException">A name is invalid (checked before anything is sent).</exception>
    /// <exception cref="NetlinkException">No such link, or the link has no such alternative name (<c>ENOENT</c>), with the kernel's text.</exception>
    public void DeleteAlternativeName(LinkReference link, string alternativeName)
        => SyncWait.Complete(AlternativeNameCoreAsync<SyncWait>(link, alternativeName, add: false, default));

    /// <summary>Removes an alternative name from a link, asynchronously. Equivalent to <c>ip link property del dev LINK altname NAME</c>.</summary>
    /// <param name="link">The link's name or index.</param>
    /// <param name="alternativeName">The alternative name to remove.</param>
    /// <param name="cancellationToken">Cancels the wait for the reply.</param>
    /// <returns>A task that completes when the kernel acknowledged.</returns>
    /// <exception cref="ArgumentException">A name is invalid (checked before anything is sent).</exception>
    /// <exception cref="NetlinkException">No such link or alternative name, or another refusal.</exception>
    public ValueTask DeleteAlternativeNameAsync(LinkReference link, string alternativeName, CancellationToken cancellationToken = default)
        => AlternativeNameCoreAsync<AsyncWait>(link, alternativeName, add: false, cancellationToken);

    private async ValueTask AlternativeNameCoreAsync<TWait>(LinkReference link, string alternativeName, bool add, CancellationToken cancellationToken)
        where TWait : struct, IWaitMode
    {
        link.Validate(nameof(link), allowAlternativeName: true);
        AlternativeName.Validate(alternativeName, nameof(alternativeName));
        string what = add ? "ip link property add" : "ip link property del";
        int index = await _pipeline.ResolveAsync<TWait>(link, cancellationToken, what).ConfigureAwait(false);
        try
        {
            await _pipeline.ExecuteAsync<TWait, (int, bool, string[])>((index, add, new[] { alternativeName }), LinkMessages.WriteAlternativeNames, cancellationToken).ConfigureAwait(false);
        }
        catch (NetlinkException e)
        {
            throw Rewrap(e, $"{what} (dev {link} altname {alternativeName})");
        }
    }
}
