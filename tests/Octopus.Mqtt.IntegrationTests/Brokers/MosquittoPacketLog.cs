namespace Octopus.Mqtt.IntegrationTests.Brokers;

/// <summary>
/// The packets a <see cref="MosquittoBroker"/> logged, read from its log as it arrives (mosquitto is always run with
/// <c>log_type all</c>): an oracle of what really crossed the wire, with packet identifiers, DUP flags and the CONNACK's
/// session-present flag. Covers every run of the broker.
/// </summary>
public sealed class MosquittoPacketLog
{
    private readonly ConditionRecorder<MosquittoPacketEntry> _entries = new();

    /// <summary>Gets the number of packets logged so far.</summary>
    public int Count => _entries.Count;

    /// <summary>Gets a copy of the packets logged so far.</summary>
    /// <returns>The packets, in log order.</returns>
    public IReadOnlyList<MosquittoPacketEntry> GetSnapshot() => _entries.GetSnapshot();

    /// <summary>Gets the packets logged so far from or to one client.</summary>
    /// <param name="clientId">The client ID.</param>
    /// <returns>The packets, in log order.</returns>
    public IReadOnlyList<MosquittoPacketEntry> Of(string clientId) => [.. GetSnapshot().Where(e => e.ClientId == clientId)];

    /// <summary>Reads one log line and records it when it reports a packet.</summary>
    /// <param name="line">The log line.</param>
    /// <returns>Whether the line reported a packet.</returns>
    public bool Record(string line)
    {
        if (!MosquittoPacketEntry.TryParse(line, out var entry))
        {
            return false;
        }

        _entries.Add(entry);
        return true;
    }

    /// <summary>Waits until a packet matching <paramref name="predicate"/> is logged.</summary>
    /// <param name="predicate">What the packet must satisfy.</param>
    /// <param name="timeout">The deadline; <see cref="TestTimeouts.Arrival"/> when <see langword="null"/>.</param>
    /// <returns>The first matching packet.</returns>
    /// <exception cref="TimeoutException">None arrived in time; the message lists what did.</exception>
    public Task<MosquittoPacketEntry> WaitForAsync(Func<MosquittoPacketEntry, bool> predicate, TimeSpan? timeout = null) =>
        _entries.WaitForAsync(predicate, timeout);

    /// <summary>Waits until <paramref name="count"/> packets matching <paramref name="predicate"/> are logged.</summary>
    /// <param name="predicate">What each packet must satisfy.</param>
    /// <param name="count">How many are awaited.</param>
    /// <param name="timeout">The deadline; <see cref="TestTimeouts.Arrival"/> when <see langword="null"/>.</param>
    /// <returns>The first <paramref name="count"/> matching packets.</returns>
    /// <exception cref="TimeoutException">Fewer arrived in time; the message lists what did.</exception>
    public async Task<IReadOnlyList<MosquittoPacketEntry>> WaitForCountAsync(Func<MosquittoPacketEntry, bool> predicate, int count, TimeSpan? timeout = null)
    {
        var entries = await _entries.WaitUntilAsync(all => all.Count(predicate) >= count, $"{count} matching packet(s)", timeout).ConfigureAwait(false);
        return [.. entries.Where(predicate).Take(count)];
    }
}
