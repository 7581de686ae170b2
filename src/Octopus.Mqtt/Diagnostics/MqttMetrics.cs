using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace Octopus.Mqtt;

/// <summary>The instruments of the <c>Octopus.Mqtt</c> meter, one set per <see cref="Meter"/>, and the live clients its gauges read.</summary>
internal sealed class MqttMetrics
{
    private static readonly ConditionalWeakTable<Meter, MqttMetrics> ByMeter = [];
    private static readonly Lazy<Meter> SharedMeter = new(() => new Meter(OctopusMqttTelemetry.MeterName));

    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60];

    private readonly ConcurrentDictionary<MqttDeviceClientTelemetry, byte> _live = new();

    private MqttMetrics(Meter meter)
    {
        // The OpenTelemetry messaging semantic conventions' client metrics.
        SentMessages = meter.CreateCounter<long>(
            "messaging.client.sent.messages",
            "{message}",
            "Messages the client attempted to send to the MQTT broker: acknowledged (QoS 0: written), or, with error.type, not.");
        OperationDuration = meter.CreateHistogram(
            "messaging.client.operation.duration",
            "s",
            "Duration of a publish, from the publish call to its outcome, queueing and resends included.",
            tags: null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

        // What the conventions have no name for.
        Dropped = meter.CreateCounter<long>("octopus.mqtt.client.dropped.messages", "{message}", "Messages given up, by error.type.");
        Reconnects = meter.CreateCounter<long>("octopus.mqtt.client.reconnects", "{attempt}", "Attempts to connect again after the connection was lost or an attempt failed.");
        Connects = meter.CreateCounter<long>("octopus.mqtt.client.connects", "{connection}", "Connections the MQTT broker accepted, by server.address and server.port: how often devices (re)connect, and to which server of client.servers.");
        Takeovers = meter.CreateCounter<long>("octopus.mqtt.client.takeovers", "{takeover}", "Connections ended because another client with the same client ID connected (0x8E Session Taken Over, or suspected from connections closed one after the other soon after being accepted).");
        SessionsLost = meter.CreateCounter<long>("octopus.mqtt.client.sessions.lost", "{session}", "Connections on which the MQTT broker had no session though cleanSession is false: unacknowledged messages were sent again as new ones.");
        meter.CreateObservableUpDownCounter("octopus.mqtt.client.queued.messages", ObserveQueued, "{message}", "Messages waiting to be sent.");
        meter.CreateObservableUpDownCounter("octopus.mqtt.client.connections", ObserveConnections, "{connection}", "MQTT device clients connected now.");
    }

    /// <summary>Gets <c>messaging.client.sent.messages</c>: every send attempt, with <c>error.type</c> when it failed.</summary>
    public Counter<long> SentMessages { get; }

    /// <summary>Gets <c>messaging.client.operation.duration</c>: every publish's duration to its outcome.</summary>
    public Histogram<double> OperationDuration { get; }

    public Counter<long> Dropped { get; }

    public Counter<long> Reconnects { get; }

    public Counter<long> SessionsLost { get; }

    public Counter<long> Connects { get; }

    public Counter<long> Takeovers { get; }

    /// <summary>Gets the instruments on the meter of <paramref name="meterFactory"/>, or on a shared meter when it is <see langword="null"/>.</summary>
    /// <param name="meterFactory">The host's meter factory, if any.</param>
    /// <returns>The instruments.</returns>
    public static MqttMetrics Get(IMeterFactory? meterFactory)
    {
        var meter = meterFactory?.Create(new MeterOptions(OctopusMqttTelemetry.MeterName)) ?? SharedMeter.Value;
        return ByMeter.GetValue(meter, m => new MqttMetrics(m));
    }

    public void Register(MqttDeviceClientTelemetry client) => _live.TryAdd(client, 0);

    public void Unregister(MqttDeviceClientTelemetry client) => _live.TryRemove(client, out _);

    private IEnumerable<Measurement<long>> ObserveQueued() => Observe(static c => c.QueuedCount);

    private IEnumerable<Measurement<long>> ObserveConnections() => Observe(static c => c.IsConnected ? 1 : 0);

    /// <summary>Sums a value of the live clients per topic template (one measurement per tag set).</summary>
    private List<Measurement<long>> Observe(Func<MqttDeviceClientTelemetry, long> value)
    {
        var sums = new Dictionary<string, (long Sum, MqttDeviceClientTelemetry First)>(StringComparer.Ordinal);
        foreach (var client in _live.Keys)
        {
            var add = value(client);
            sums[client.Template] = sums.TryGetValue(client.Template, out var entry) ? (entry.Sum + add, entry.First) : (add, client);
        }

        var measurements = new List<Measurement<long>>(sums.Count);
        foreach (var (_, (sum, first)) in sums)
        {
            measurements.Add(new Measurement<long>(sum, first.Tags));
        }

        return measurements;
    }
}
