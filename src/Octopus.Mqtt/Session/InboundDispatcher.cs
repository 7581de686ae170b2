using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace Octopus.Mqtt;

/// <summary>
/// The inbound side of the session: messages from the broker are handed to the handler one at a time, in receive
/// order, off the reading thread; each QoS 1 or 2 message is acknowledged (PUBACK, PUBREC) only after the handler
/// returned, so acknowledgements go out in receive order (MQTT-4.6.0-2, -3). A QoS 2 message is handed over once:
/// its packet identifier is remembered until PUBREL, and a resend with the same identifier is only acknowledged
/// again. A handler that throws is logged and its message acknowledged: a poison message is not redelivered for ever,
/// and nothing a handler does can stop the connection.
/// </summary>
internal sealed class InboundDispatcher
{
    private readonly Channel<(MqttConnection Connection, MqttPacket Packet)> _inbox =
        Channel.CreateUnbounded<(MqttConnection, MqttPacket)>(new UnboundedChannelOptions { SingleReader = true });

    private readonly HashSet<ushort> _awaitingRelease = [];

    // Reused by the one loop that sends acknowledgements; made when first needed (most devices receive nothing).
    private MqttPubAckPacket? _pubAck;
    private MqttPubRecPacket? _pubRec;
    private MqttPubCompPacket? _pubComp;
    private readonly Func<MqttPublishPacket, Task> _deliver;
    private readonly ILogger _logger;
    private readonly Func<string> _clientId;
    private Task? _loop;

    /// <summary>Initializes a new instance of the <see cref="InboundDispatcher"/> class.</summary>
    /// <param name="deliver">Hands a message to the application; must not throw (a throw is logged).</param>
    /// <param name="logger">The logger.</param>
    /// <param name="clientId">Gets the current client ID, for the log.</param>
    public InboundDispatcher(Func<MqttPublishPacket, Task> deliver, ILogger logger, Func<string> clientId)
    {
        _deliver = deliver;
        _logger = logger;
        _clientId = clientId;
    }


    /// <summary>Queues a PUBLISH or PUBREL from the broker, in receive order.</summary>
    /// <param name="connection">The connection it came on, where its acknowledgement goes.</param>
    /// <param name="packet">The packet.</param>
    public void Enqueue(MqttConnection connection, MqttPacket packet)
    {
        _loop ??= Task.Run(RunAsync);
        _inbox.Writer.TryWrite((connection, packet));
    }

    /// <summary>Forgets the QoS 2 messages awaiting PUBREL: the broker started a new session.</summary>
    public void ResetSession()
    {
        lock (_awaitingRelease)
        {
            _awaitingRelease.Clear();
        }
    }

    /// <summary>Stops taking packets and waits for the one being handled.</summary>
    /// <returns>A task that completes when the loop has ended.</returns>
    public Task StopAsync()
    {
        _inbox.Writer.TryComplete();
        return _loop ?? Task.CompletedTask;
    }

    /// <summary>Fills the reused acknowledgement of a message (the wire encodes it before the send returns), or returns <see langword="null"/> for QoS 0.</summary>
    private MqttPacket? GetAcknowledgement(MqttPublishPacket publish)
    {
        switch (publish.QualityOfServiceLevel)
        {
            case MqttQualityOfServiceLevel.AtLeastOnce:
                _pubAck ??= new MqttPubAckPacket();
                _pubAck.PacketIdentifier = publish.PacketIdentifier;
                return _pubAck;
            case MqttQualityOfServiceLevel.ExactlyOnce:
                _pubRec ??= new MqttPubRecPacket();
                _pubRec.PacketIdentifier = publish.PacketIdentifier;
                return _pubRec;
            default:
                return null;
        }
    }

    private async Task RunAsync()
    {
        await foreach (var (connection, packet) in _inbox.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await HandleAsync(connection, packet).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                Log.InboundFailed(_logger, exception, _clientId());
            }
        }
    }

    private async Task HandleAsync(MqttConnection connection, MqttPacket packet)
    {
        MqttPacket? answer;
        if (packet is MqttPubRelPacket release)
        {
            lock (_awaitingRelease)
            {
                _awaitingRelease.Remove(release.PacketIdentifier);
            }

            _pubComp ??= new MqttPubCompPacket();
            _pubComp.PacketIdentifier = release.PacketIdentifier;
            answer = _pubComp;
        }
        else
        {
            var publish = (MqttPublishPacket)packet;
            var first = true;
            if (publish.QualityOfServiceLevel == MqttQualityOfServiceLevel.ExactlyOnce)
            {
                lock (_awaitingRelease)
                {
                    first = _awaitingRelease.Add(publish.PacketIdentifier);
                }
            }

            if (first)
            {
                try
                {
                    await _deliver(publish).ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    Log.InboundFailed(_logger, exception, _clientId());
                }
            }

            answer = GetAcknowledgement(publish);
        }

        if (answer is not null && !connection.IsLost)
        {
            try
            {
                await connection.SendAsync(answer).ConfigureAwait(false);
            }
            catch (Exception) when (connection.IsLost)
            {
                // The broker sends it again after the reconnect (the session keeps it), or it is gone with the session.
            }
        }
    }
}
