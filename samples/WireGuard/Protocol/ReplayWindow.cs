namespace LinuxNet.Samples.WireGuard.Protocol;

/// <summary>
/// A sliding anti-replay window over 64-bit packet counters (the bitmap scheme of RFC 6479): a counter is accepted
/// once, and only if it is newer than the highest seen minus <see cref="WindowSize"/>.
/// </summary>
/// <remarks>Copied from samples/TunVpn (same window as the kernel's WireGuard: 8192 bits, 8192 - 64 usable). Not thread safe: one receiving thread owns it. Call <see cref="TryAccept"/> only after the packet authenticated.</remarks>
public sealed class ReplayWindow
{
    /// <summary>How far behind the newest counter a packet may arrive (reordering tolerance), in packets.</summary>
    public const int WindowSize = 8192 - 64;

    private const int Words = 8192 / 64;
    private readonly ulong[] _bitmap = new ulong[Words];
    private ulong _highest;
    private bool _any;

    /// <summary>Checks <paramref name="counter"/> and records it.</summary>
    /// <returns><see langword="false"/> for a replayed or too-old counter.</returns>
    public bool TryAccept(ulong counter)
    {
        if (!_any)
        {
            _any = true;
            _highest = counter;
            Set(counter);
            return true;
        }

        if (counter > _highest)
        {
            ulong oldWord = _highest / 64;
            ulong newWord = counter / 64;
            ulong clear = Math.Min(newWord - oldWord, Words);
            for (ulong i = 1; i <= clear; i++)
            {
                _bitmap[(oldWord + i) % Words] = 0;
            }

            _highest = counter;
            Set(counter);
            return true;
        }

        if (_highest - counter >= WindowSize)
        {
            return false;
        }

        ref ulong word = ref _bitmap[(counter / 64) % Words];
        ulong bit = 1UL << (int)(counter % 64);
        if ((word & bit) != 0)
        {
            return false;
        }

        word |= bit;
        return true;
    }

    private void Set(ulong counter) => _bitmap[(counter / 64) % Words] |= 1UL << (int)(counter % 64);
}
