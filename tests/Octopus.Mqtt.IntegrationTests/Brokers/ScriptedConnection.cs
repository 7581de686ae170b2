using System.Net.Sockets;
using System.Text;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Implementations;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace Octopus.Mqtt.IntegrationTests.Brokers;

/// <summary>
/// One client connection of a <see cref="ScriptedBroker"/>: MQTTnet's codec over the accepted socket (the protocol
/// version is taken from the CONNECT), every packet recorded in <see cref="ScriptedBroker.Packets"/> as it is read or
/// handed to the socket. A test uses it to send what a broker would send: PUBLISH with a chosen packet id, PUBREL, DISCONNECT.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The broker owns it: the adapter is disposed when the connection ends; the gates and the token source hold no timers or handles.")]
public sealed class ScriptedConnection
{
    private readonly ScriptedBroker _broker;
    private readonly Socket _socket;
    private readonly MqttChannelAdapter _adapter;
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly SemaphoreSlim _answerGate = new(1, 1);
    private readonly List<MqttPacket> _held = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _cut;

    internal ScriptedConnection(ScriptedBroker broker, int id, Socket socket)
    {
        _broker = broker;
        _socket = socket;
        Id = id;
        var channel = new MqttTcpChannel(new NetworkStream(socket, ownsSocket: true), socket.LocalEndPoint, socket.RemoteEndPoint, null);
        _adapter = new MqttChannelAdapter(channel, new MqttPacketFormatterAdapter(new MqttBufferWriter(4096, 1024 * 1024)), MqttNetNullLogger.Instance);
    }

    /// <summary>Gets the connection's number, from 1 in accept order.</summary>
    public int Id { get; }

    /// <summary>Gets the client ID from the CONNECT (the assigned one when it was empty); empty before the CONNECT.</summary>
    public string ClientId { get; internal set; } = string.Empty;

    /// <summary>Gets the protocol version detected from the CONNECT.</summary>
    public MqttProtocolVersion Protocol => _adapter.PacketFormatterAdapter.ProtocolVersion;

    /// <summary>Gets a task that completes when the connection has ended, however it ended.</summary>
    public Task Closed => _closed.Task;

    /// <summary>Gets what ended the connection, when it was an error (for diagnostics).</summary>
    public Exception? Failure { get; private set; }

    internal ScriptedSession? Session { get; set; }

    /// <summary>Sends a PUBLISH with a UTF-8 payload.</summary>
    /// <param name="topic">The topic.</param>
    /// <param name="payload">The payload, as UTF-8.</param>
    /// <param name="qos">The QoS.</param>
    /// <param name="packetId">The packet identifier (ignored for QoS 0).</param>
    /// <param name="dup">The DUP flag: <see langword="true"/> for a resend.</param>
    /// <param name="retain">The RETAIN flag.</param>
    /// <param name="userProperties">MQTT 5 user properties.</param>
    /// <returns>A task that completes when the packet is written.</returns>
    public Task PublishAsync(string topic, string payload, MqttQualityOfServiceLevel qos, ushort packetId = 0, bool dup = false, bool retain = false, IEnumerable<KeyValuePair<string, string>>? userProperties = null) =>
        PublishAsync(topic, Encoding.UTF8.GetBytes(payload), qos, packetId, dup, retain, userProperties);

    /// <summary>Sends a PUBLISH.</summary>
    /// <param name="topic">The topic.</param>
    /// <param name="payload">The payload.</param>
    /// <param name="qos">The QoS.</param>
    /// <param name="packetId">The packet identifier (ignored for QoS 0).</param>
    /// <param name="dup">The DUP flag: <see langword="true"/> for a resend.</param>
    /// <param name="retain">The RETAIN flag.</param>
    /// <param name="userProperties">MQTT 5 user properties.</param>
    /// <returns>A task that completes when the packet is written.</returns>
    public Task PublishAsync(string topic, byte[] payload, MqttQualityOfServiceLevel qos, ushort packetId = 0, bool dup = false, bool retain = false, IEnumerable<KeyValuePair<string, string>>? userProperties = null) =>
        SendAsync(new MqttPublishPacket
        {
            Topic = topic,
            PayloadSegment = payload,
            QualityOfServiceLevel = qos,
            PacketIdentifier = qos == MqttQualityOfServiceLevel.AtMostOnce ? (ushort)0 : packetId,
            Dup = dup,
            Retain = retain,
            UserProperties = userProperties?.Select(p => new MqttUserProperty(p.Key, Encoding.UTF8.GetBytes(p.Value))).ToList(),
        });

    /// <summary>Sends a PUBREL (for a QoS 2 PUBLISH this broker sent).</summary>
    /// <param name="packetId">The packet identifier.</param>
    /// <returns>A task that completes when the packet is written.</returns>
    public Task SendPubRelAsync(ushort packetId) => SendAsync(new MqttPubRelPacket { PacketIdentifier = packetId });

    /// <summary>Sends a DISCONNECT (an MQTT 5 server may; MQTTnet encodes an empty one for 3.x) and closes the connection.</summary>
    /// <param name="reasonCode">The reason code.</param>
    /// <param name="serverReference">The server reference (another server to use), or <see langword="null"/>.</param>
    /// <returns>A task that completes when the packet is written and the socket closed.</returns>
    public async Task DisconnectAsync(MqttDisconnectReasonCode reasonCode, string? serverReference = null)
    {
        await SendAsync(new MqttDisconnectPacket { ReasonCode = reasonCode, ServerReference = serverReference }).ConfigureAwait(false);
        Close();
    }

    /// <summary>Sends any packet as is, recording it first.</summary>
    /// <param name="packet">The packet.</param>
    /// <returns>A task that completes when the packet is written (and the connection cut, if a cut rule fired).</returns>
    public async Task SendAsync(MqttPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        await _sendGate.WaitAsync(_stop.Token).ConfigureAwait(false);
        ScriptedPacket record;
        try
        {
            record = ScriptedPacket.From(Id, ClientId, BrokerPacketDirection.Sent, Protocol, packet);
            _broker.Packets.Add(record);
            await _adapter.SendPacketAsync(packet, _stop.Token).ConfigureAwait(false);
        }
        finally
        {
            _sendGate.Release();
        }

        if (_broker.TakeCut(BrokerPacketDirection.Sent, record.Type))
        {
            Cut();
        }
    }

    /// <summary>Closes the socket abruptly (a reset, no DISCONNECT), as a network failure or a crashing broker would.</summary>
    public void Cut()
    {
        if (Interlocked.Exchange(ref _cut, 1) == 1)
        {
            return;
        }

        try
        {
            _socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is ObjectDisposedException or SocketException)
        {
        }

        _socket.Close();
        _stop.Cancel();
    }

    /// <summary>Reads and answers packets until the connection ends.</summary>
    /// <returns>A task that completes when the connection has ended.</returns>
    internal async Task RunAsync()
    {
        try
        {
            while (await _adapter.ReceivePacketAsync(_stop.Token).ConfigureAwait(false) is { } packet)
            {
                if (packet is MqttConnectPacket connect)
                {
                    ClientId = connect.ClientId ?? string.Empty;
                }

                var record = ScriptedPacket.From(Id, ClientId, BrokerPacketDirection.Received, Protocol, packet);
                _broker.Packets.Add(record);
                if (_broker.TakeCut(BrokerPacketDirection.Received, record.Type))
                {
                    Cut();
                    break;
                }

                if (!await _broker.AnswerAsync(this, packet).ConfigureAwait(false))
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Failure = _stop.IsCancellationRequested ? null : e;
        }
        finally
        {
            Close();
            _broker.OnClosed(this);
            _adapter.Dispose();
            _closed.TrySetResult();
        }
    }

    /// <summary>Sends an answer to a PUBLISH or PUBREL, or keeps it while the broker holds acknowledgements.</summary>
    /// <param name="packet">The answer.</param>
    /// <returns>A task that completes when the answer is written or kept.</returns>
    internal async Task AnswerAsync(MqttPacket packet)
    {
        await _answerGate.WaitAsync(_stop.Token).ConfigureAwait(false);
        try
        {
            if (_broker.HoldsAcknowledgements)
            {
                _held.Add(packet);
                return;
            }

            await SendHeldAsync().ConfigureAwait(false);
            await SendAsync(packet).ConfigureAwait(false);
        }
        finally
        {
            _answerGate.Release();
        }
    }

    /// <summary>Sends the answers kept while acknowledgements were held, in order.</summary>
    /// <returns>A task that completes when they are written.</returns>
    internal async Task SendHeldAnswersAsync()
    {
        await _answerGate.WaitAsync(_stop.Token).ConfigureAwait(false);
        try
        {
            await SendHeldAsync().ConfigureAwait(false);
        }
        finally
        {
            _answerGate.Release();
        }
    }

    /// <summary>Closes the socket in order (the peer sees the end of the stream).</summary>
    internal void Close()
    {
        if (Interlocked.Exchange(ref _cut, 1) == 1)
        {
            return;
        }

        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is ObjectDisposedException or SocketException)
        {
        }

        _socket.Close();
        _stop.Cancel();
    }

    private async Task SendHeldAsync()
    {
        while (_held.Count > 0)
        {
            var next = _held[0];
            _held.RemoveAt(0);
            await SendAsync(next).ConfigureAwait(false);
        }
    }
}
