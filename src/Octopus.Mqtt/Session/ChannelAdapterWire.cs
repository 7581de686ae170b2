using System.Buffers;
using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Channel;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Implementations;
using MQTTnet.Packets;

namespace Octopus.Mqtt;

/// <summary>
/// The real wire: the codec of the options' protocol version, and the transport the options name: plain TCP and unix
/// sockets are a <see cref="SocketChannel"/> of our own, TLS and WebSocket MQTTnet's channels; MQTTnet's channel
/// adapter opens the transport. Reads and writes are the connection's own: a
/// <see cref="PacketReader"/> that reads packets that arrived together in one read, and a <see cref="PacketWriter"/>
/// that writes packets ready together in one write, both with MQTTnet's codec.
/// </summary>
internal sealed class ChannelAdapterWire : IMqttWire
{
    private const int HeaderBufferSize = 256;

    private readonly IMqttChannel _channel;
    private readonly MqttChannelAdapter _adapter;
    private readonly PacketWriter _writer;
    private readonly PacketReader _reader;
    private readonly MqttNetLogBridge? _packetLog;

    /// <summary>Initializes a new instance of the <see cref="ChannelAdapterWire"/> class.</summary>
    /// <param name="options">The connection's MQTTnet options.</param>
    /// <param name="logger">MQTTnet's logger, or <see langword="null"/> for none.</param>
    public ChannelAdapterWire(MqttClientOptions options, IMqttNetLogger? logger)
    {
        SocketChannel? socket = null;
        _channel = options.ChannelOptions switch
        {
            // Plain TCP and unix sockets on a socket the library opened: read and written on it directly.
            MqttClientTcpOptions { StreamProvider: SocketStreamProvider, TlsOptions.UseTls: false } tcp => socket = new SocketChannel(tcp.RemoteEndpoint),
            MqttClientTcpOptions => new MqttTcpChannel(options),
            MqttClientWebSocketOptions webSocket => new MqttWebSocketChannel(webSocket),
            _ => throw new NotSupportedException($"The transport {options.ChannelOptions?.GetType().Name} is not supported."),
        };

        // The codec's buffer holds one packet's headers at a time (a PUBLISH payload is copied straight from the message
        // into the write batch), so it starts small and grows only for a large CONNECT or SUBSCRIBE: a connection of an
        // idle fleet keeps 256 bytes there instead of MQTTnet's default 4 KB.
        var formatter = new MqttPacketFormatterAdapter(options.ProtocolVersion, new MqttBufferWriter(Math.Min(options.WriterBufferSize, HeaderBufferSize), options.WriterBufferSizeMax));
        _adapter = new MqttChannelAdapter(_channel, formatter, logger ?? MqttNetNullLogger.Instance);
        var channel = _channel;
        _packetLog = logger as MqttNetLogBridge;
        if (socket is not null)
        {
            _reader = new PacketReader(socket.ReceiveAsync, formatter);
            _writer = new PacketWriter(formatter, socket.SendAsync);
        }
        else
        {
            _reader = new PacketReader((buffer, offset, count, token) => new ValueTask<int>(channel.ReadAsync(buffer, offset, count, token)), formatter);
            _writer = new PacketWriter(formatter, (bytes, token) => new ValueTask(channel.WriteAsync(new ReadOnlySequence<byte>(bytes), true, token)));
        }
    }

    /// <summary>Gets the factory of real wires that log to <paramref name="logger"/>.</summary>
    /// <param name="logger">MQTTnet's logger, or <see langword="null"/> for none.</param>
    /// <returns>The factory.</returns>
    public static MqttWireFactory Factory(IMqttNetLogger? logger) => options => new ChannelAdapterWire(options, logger);

    /// <inheritdoc/>
    public Task OpenAsync(CancellationToken cancellationToken) => _adapter.ConnectAsync(cancellationToken);

    /// <inheritdoc/>
    public ValueTask SendAsync(MqttPacket packet, CancellationToken cancellationToken)
    {
        LogPacket("TX >>> {0}", packet);
        return _writer.WriteAsync(packet, cancellationToken);
    }

    /// <inheritdoc/>
    public void Enqueue(MqttPacket packet)
    {
        LogPacket("TX >>> {0}", packet);
        _writer.Enqueue(packet);
    }

    /// <inheritdoc/>
    public ValueTask FlushAsync(CancellationToken cancellationToken) => _writer.FlushAsync(cancellationToken);

    /// <inheritdoc/>
    public ValueTask<MqttPacket?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var read = _reader.ReadAsync(cancellationToken);
        return _packetLog?.IsVerboseEnabled == true ? LogReceivedAsync(read) : read;
    }

    private async ValueTask<MqttPacket?> LogReceivedAsync(ValueTask<MqttPacket?> read)
    {
        var packet = await read.ConfigureAwait(false);
        LogPacket("RX <<< {0}", packet);
        return packet;
    }

    /// <summary>Logs a packet as MQTTnet's channel adapter did (verbose: Trace through the bridge), only when that level is on.</summary>
    private void LogPacket(string template, MqttPacket? packet)
    {
        if (packet is not null && _packetLog?.IsVerboseEnabled == true)
        {
            _packetLog.Publish(MqttNetLogLevel.Verbose, nameof(ChannelAdapterWire), template, [packet], null!);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _writer.Dispose();
        _adapter.Dispose();
    }
}
