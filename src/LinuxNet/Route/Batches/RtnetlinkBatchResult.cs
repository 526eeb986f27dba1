using System;
using System.Collections;
using System.Collections.Generic;
using LinuxNet.Netlink;

namespace LinuxNet.Route;

/// <summary>The results of a <see cref="RtnetlinkBatch"/>, one per request, in the order the requests were added.</summary>
public sealed class RtnetlinkBatchResult : IReadOnlyList<RtnetlinkBatchItemResult>
{
    private readonly NetlinkSocket.BatchItemState[] _states;
    private readonly NetlinkBatchErrors _errors;
    private readonly int _count;

    internal RtnetlinkBatchResult(NetlinkSocket.BatchItemState[] states, NetlinkBatchErrors errors, int count)
    {
        _states = states;
        _errors = errors;
        _count = count;
        for (int i = 0; i < count; i++)
        {
            switch (states[i])
            {
                case NetlinkSocket.BatchItemState.Succeeded:
                    SucceededCount++;
                    break;
                case NetlinkSocket.BatchItemState.Failed:
                    FailedCount++;
                    break;
                default:
                    NotRunCount++;
                    break;
            }
        }
    }

    /// <summary>The number of requests.</summary>
    public int Count => _count;

    /// <summary>How many requests the kernel acknowledged.</summary>
    public int SucceededCount { get; }

    /// <summary>How many requests failed.</summary>
    public int FailedCount { get; }

    /// <summary>How many requests were not sent (after a failure, with <see cref="RtnetlinkBatchOptions.StopOnFirstError"/>).</summary>
    public int NotRunCount { get; }

    /// <summary>Whether every request succeeded.</summary>
    public bool AllSucceeded => SucceededCount == _count;

    /// <summary>The failed requests, in order.</summary>
    public IEnumerable<RtnetlinkBatchItemResult> Failures
    {
        get
        {
            for (int i = 0; i < _count; i++)
            {
                if (_states[i] == NetlinkSocket.BatchItemState.Failed)
                {
                    yield return this[i];
                }
            }
        }
    }

    /// <summary>The result of the request at <paramref name="index"/>.</summary>
    /// <param name="index">The request's position, from 0.</param>
    /// <returns>Its result.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside the batch.</exception>
    public RtnetlinkBatchItemResult this[int index]
        => (uint)index < (uint)_count
            ? new RtnetlinkBatchItemResult(index, (RtnetlinkBatchItemStatus)_states[index], _errors[index])
            : throw new ArgumentOutOfRangeException(nameof(index), index, $"The batch has {_count} requests.");

    /// <summary>Throws the first failure, if any request failed.</summary>
    /// <exception cref="NetlinkException">The first failed request's error; its message names the request's index.</exception>
    public void ThrowIfAnyFailed()
    {
        foreach (RtnetlinkBatchItemResult failure in Failures)
        {
            throw failure.Error!;
        }
    }

    /// <summary>Enumerates the results in request order.</summary>
    /// <returns>The enumerator.</returns>
    public IEnumerator<RtnetlinkBatchItemResult> GetEnumerator()
    {
        for (int i = 0; i < _count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
