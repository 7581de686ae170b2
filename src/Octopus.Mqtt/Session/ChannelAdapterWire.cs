using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Implementations;
using MQTTnet.Packets;

namespace Octopus.Mqtt;

/// <summary>
/// The real wire: MQTTnet's channel adapter, which encodes and decodes packets with the codec of the options' protocol
/// version over the transport the options name (TCP, TLS, WebSocket, unix socket).
/// </summary>
internal sealed class ChannelAdapterWire : IMqttWire
{
    private static readonly MqttClientAdapterFactory AdapterFactory = new();

    private readonly IMqttChannelAdapter _adapter;

    /// <summary>Initializes a new instance of the <see cref="ChannelAdapterWire"/> class.</summary>
    /// <param name="options">The connection's MQTTnet options.</param>
    /// <param name="logger">MQTTnet's logger, or <see langword="null"/> for none.</param>
    public ChannelAdapterWire(MqttClientOptions options, IMqttNetLogger? logger)
    {
        _adapter = AdapterFactory.CreateClientAdapter(options, null, logger ?? MqttNetNullLogger.Instance);
    }

    /// <summary>Gets the factory of real wires that log to <paramref name="logger"/>.</summary>
    /// <param name="logger">MQTTnet's logger, or <see langword="null"/> for none.</param>
    /// <returns>The factory.</returns>
    public static MqttWireFactory Factory(IMqttNetLogger? logger) => options => new ChannelAdapterWire(options, logger);

    /// <inheritdoc/>
    public Task OpenAsync(CancellationToken cancellationToken) => _adapter.ConnectAsync(cancellationToken);

    /// <inheritdoc/>
    public ValueTask SendAsync(MqttPacket packet, CancellationToken cancellationToken) =>
        new(_adapter.SendPacketAsync(packet, cancellationToken));

    /// <inheritdoc/>
    public async ValueTask<MqttPacket?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var packet = await _adapter.ReceivePacketAsync(cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return packet;
    }

    /// <inheritdoc/>
    public void Dispose() => _adapter.Dispose();
}
