namespace Octopus.Mqtt;

/// <summary>
/// The waits between connection attempts: 1 second, then doubling up to <c>client.maxReconnectInterval</c>, each
/// with "equal jitter" (a random wait between half the computed delay and the whole of it), so that no device ever
/// retries in a tight loop; the clients of one factory also share a <see cref="ReconnectPacer"/>, so that many
/// devices losing the same broker do not come back in the same second.
/// </summary>
internal sealed class ReconnectBackoff
{
    /// <summary>The computed delay before the first retry.</summary>
    public static readonly TimeSpan InitialDelay = TimeSpan.FromSeconds(1);

    /// <summary>The smallest cap honoured; a smaller (or zero) <c>maxReconnectInterval</c> is raised to it.</summary>
    public static readonly TimeSpan MinimumCap = TimeSpan.FromMilliseconds(100);

    private readonly Random _random;
    private readonly ReconnectPacer? _pacer;

    public ReconnectBackoff(TimeSpan maxDelay, Random? random = null, ReconnectPacer? pacer = null)
    {
        MaxDelay = maxDelay < MinimumCap ? MinimumCap : maxDelay;
        _random = random ?? Random.Shared;
        _pacer = pacer;
    }

    /// <summary>Gets the cap of the computed delay.</summary>
    public TimeSpan MaxDelay { get; }

    /// <summary>Gets the computed delay (before jitter) of retry number <paramref name="retry"/> (0 for the first).</summary>
    /// <param name="retry">How many retries already failed.</param>
    /// <returns><c>min(MaxDelay, 1s × 2^retry)</c>.</returns>
    public TimeSpan GetCeiling(int retry)
    {
        var initial = InitialDelay < MaxDelay ? InitialDelay : MaxDelay;
        var ceiling = initial.Ticks;
        for (var i = 0; i < retry && ceiling < MaxDelay.Ticks; i++)
        {
            ceiling *= 2;
        }

        return TimeSpan.FromTicks(Math.Min(ceiling, MaxDelay.Ticks));
    }

    /// <summary>
    /// Gets the wait before retry number <paramref name="retry"/>: between half of <see cref="GetCeiling"/> and all
    /// of it; with a <see cref="ReconnectPacer"/>, longer when other clients' attempts hold the slots of that time.
    /// </summary>
    /// <param name="retry">How many retries already failed.</param>
    /// <returns>The jittered (and paced) delay.</returns>
    public TimeSpan GetDelay(int retry)
    {
        var ceiling = GetCeiling(retry).Ticks;
        var half = ceiling / 2;
        var delay = TimeSpan.FromTicks(half + (long)(_random.NextDouble() * (ceiling - half)));
        return _pacer?.Reserve(delay) ?? delay;
    }
}
