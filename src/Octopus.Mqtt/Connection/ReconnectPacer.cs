namespace Octopus.Mqtt;

/// <summary>
/// Spaces the reconnect attempts of the clients of one factory: each retry takes the next free slot at or after its
/// own backoff delay, and slots are <c>1 / AttemptsPerSecond</c> apart. One device reconnects as its backoff says;
/// when a broker restart drops a whole fleet at once, the attempts come at a steady rate instead of in one burst that
/// would load the broker (and this machine's TLS handshakes) in the same second.
/// </summary>
internal sealed class ReconnectPacer
{
    /// <summary>The default rate: a fleet of 1,000 devices is back in about 10 seconds, no second with more than 100 attempts.</summary>
    public const int DefaultAttemptsPerSecond = 100;

    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly TimeSpan _spacing;
    private TimeSpan _next;

    public ReconnectPacer(TimeProvider time, int attemptsPerSecond = DefaultAttemptsPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attemptsPerSecond, 1);
        _time = time;
        _origin = time.GetTimestamp();
        _spacing = TimeSpan.FromTicks(TimeSpan.TicksPerSecond / attemptsPerSecond);
    }

    /// <summary>Reserves the slot of one attempt due after <paramref name="delay"/>.</summary>
    /// <param name="delay">The attempt's backoff delay.</param>
    /// <returns>The wait until the reserved slot: <paramref name="delay"/>, or longer when earlier attempts hold the slots before it.</returns>
    public TimeSpan Reserve(TimeSpan delay)
    {
        lock (_gate)
        {
            var now = _time.GetElapsedTime(_origin);
            var slot = now + delay;
            if (slot < _next)
            {
                slot = _next;
            }

            _next = slot + _spacing;
            return slot - now;
        }
    }
}
