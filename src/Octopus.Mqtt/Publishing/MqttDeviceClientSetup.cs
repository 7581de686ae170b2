using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Octopus.Mqtt;

/// <summary>Everything a <see cref="MqttDeviceClient"/> is built from; the public factory fills it in.</summary>
internal sealed class MqttDeviceClientSetup
{
    /// <summary>Gets the DeviceLink the client speaks for.</summary>
    public required DeviceIdentity Device { get; init; }

    /// <summary>Gets the client ID reported before the first connection (each connection reports the ID of its options).</summary>
    public required string ClientId { get; init; }

    /// <summary>Gets the <c>client</c> options: timeouts, order, queue depth, store, reconnects.</summary>
    public required MqttClientSettings Client { get; init; }

    /// <summary>Gets the <c>message</c> options: default QoS and retain flag.</summary>
    public required MqttMessageSettings Message { get; init; }

    /// <summary>Gets the device's rendered topics.</summary>
    public required IMqttDeviceTopics Topics { get; init; }

    /// <summary>Gets the builder of each connection attempt's MQTTnet options.</summary>
    public required ConnectOptionsProvider OptionsFactory { get; init; }

    /// <summary>Gets the .NET-side behaviour options.</summary>
    public MqttDeviceClientOptions Options { get; init; } = new();

    /// <summary>Gets the clock of every wait, timeout and backoff.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Gets the logger.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>Gets what creates the wire of each connection attempt, or <see langword="null"/> for MQTTnet's codec and transports.</summary>
    public MqttWireFactory? WireFactory { get; init; }

    /// <summary>Gets a store to use instead of the one <c>client.store</c> names, or <see langword="null"/>.</summary>
    public IMessageStore? Store { get; init; }

    /// <summary>Gets the metrics and spans of the client, or <see langword="null"/> for none.</summary>
    public MqttDeviceClientTelemetry? Telemetry { get; init; }

    /// <summary>Gets the randomness of the reconnect jitter, or <see langword="null"/> for <see cref="Random.Shared"/>.</summary>
    public Random? Random { get; init; }

    /// <summary>Gets the servers to try, in order, or <see langword="null"/> for those of <see cref="Client"/>.</summary>
    public IReadOnlyList<ServerAddress>? Servers { get; init; }

    /// <summary>Gets the pacer the client shares with the other clients of its factory, or <see langword="null"/> for none.</summary>
    public ReconnectPacer? ReconnectPacer { get; init; }
}
