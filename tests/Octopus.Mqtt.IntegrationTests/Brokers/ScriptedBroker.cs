using System.Net;
using System.Net.Sockets;
using MQTTnet.Protocol;

namespace Octopus.Mqtt.IntegrationTests.Brokers;

/// <summary>
/// A small MQTT 3.1, 3.1.1 and 5 broker over real TCP on 127.0.0.1, built on MQTTnet's codec, that records every packet
/// it receives and sends and answers as a test scripts it: sessions per client ID (kept with clean session false or an
/// MQTT 5 session expiry, or forgotten on demand), exactly-once bookkeeping of inbound QoS 2, PUBACK for QoS 2, held
/// acknowledgements, connections cut after the Nth packet of a type, chosen CONNACK, SUBACK and UNSUBACK codes.
/// It routes nothing: what it accepted is in <see cref="Delivered"/>, and a test publishes to a client through its
/// <see cref="ScriptedConnection"/>. Dispose it to close everything.
/// </summary>
public sealed partial class ScriptedBroker : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ScriptedSession> _sessions = [];
    private readonly Dictionary<string, ScriptedConnection> _live = [];
    private readonly List<(ScriptedConnection Connection, Task Run)> _connections = [];
    private readonly List<CutRule> _cuts = [];
    private readonly Task _acceptLoop;
    private volatile bool _holdAcknowledgements;
    private int _nextConnection;
    private int _disposed;

    private ScriptedBroker()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptAsync();
    }

    /// <summary>Gets the port it listens on (127.0.0.1).</summary>
    public int Port { get; }

    /// <summary>Gets a <c>client.server</c> value for this broker.</summary>
    public string Server => $"tcp://127.0.0.1:{Port}";

    /// <summary>Gets how the broker answers; a test may change it at any time.</summary>
    public ScriptedBehavior Behavior { get; } = new();

    /// <summary>Gets every packet received and sent, over all connections, in the order they crossed the sockets.</summary>
    public ConditionRecorder<ScriptedPacket> Packets { get; } = new();

    /// <summary>Gets the application messages accepted for delivery to subscribers, once each (QoS 2 de-duplicated until PUBREL).</summary>
    public ConditionRecorder<ScriptedDelivery> Delivered { get; } = new();

    /// <summary>Gets the connections that sent a CONNECT, in order (refused ones too).</summary>
    public ConditionRecorder<ScriptedConnection> Connections { get; } = new();

    /// <summary>Starts listening on a free port.</summary>
    /// <returns>The broker.</returns>
    public static ScriptedBroker Start() => new();

    /// <summary>Gets the packets of one connection.</summary>
    /// <param name="connection">The connection's number (<see cref="ScriptedConnection.Id"/>).</param>
    /// <returns>Its packets, in order.</returns>
    public IReadOnlyList<ScriptedPacket> PacketsOf(int connection) => [.. Packets.GetSnapshot().Where(p => p.Connection == connection)];

    /// <summary>Waits until a client has connected <paramref name="nth"/> times.</summary>
    /// <param name="clientId">The client ID.</param>
    /// <param name="nth">Which of its connections, from 1.</param>
    /// <param name="timeout">The deadline; <see cref="TestTimeouts.Arrival"/> when <see langword="null"/>.</param>
    /// <returns>That connection (it may have ended since).</returns>
    public async Task<ScriptedConnection> WaitForConnectionAsync(string clientId, int nth = 1, TimeSpan? timeout = null)
    {
        var all = await Connections.WaitUntilAsync(c => c.Count(x => x.ClientId == clientId) >= nth, $"connection {nth} of {clientId}", timeout).ConfigureAwait(false);
        return all.Where(c => c.ClientId == clientId).ElementAt(nth - 1);
    }

    /// <summary>Cuts the connection right after the <paramref name="nth"/> packet of a type received from now on, before answering it (it is recorded, not processed).</summary>
    /// <param name="type">The packet type, such as PUBLISH or PUBREL.</param>
    /// <param name="nth">Which one, counting from 1 over all connections.</param>
    public void CutAfterReceiving(MqttControlPacketType type, int nth = 1) => AddCut(BrokerPacketDirection.Received, type, nth);

    /// <summary>Cuts the connection right after the <paramref name="nth"/> packet of a type sent from now on, such as a PUBREC.</summary>
    /// <param name="type">The packet type.</param>
    /// <param name="nth">Which one, counting from 1 over all connections.</param>
    public void CutAfterSending(MqttControlPacketType type, int nth = 1) => AddCut(BrokerPacketDirection.Sent, type, nth);

    /// <summary>Stops answering PUBLISH and PUBREL (the answers are kept, in order) until <see cref="ReleaseAcknowledgementsAsync"/>.</summary>
    public void HoldAcknowledgements() => _holdAcknowledgements = true;

    /// <summary>Sends every kept answer, in order, and answers at once again.</summary>
    /// <returns>A task that completes when the kept answers are written (those of ended connections are dropped).</returns>
    public async Task ReleaseAcknowledgementsAsync()
    {
        _holdAcknowledgements = false;
        foreach (var connection in Live())
        {
            try
            {
                await connection.SendHeldAnswersAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or IOException or MQTTnet.Exceptions.MqttCommunicationException)
            {
            }
        }
    }

    /// <summary>Forgets every stored session, as a broker restarted without persistence: the next CONNECT gets session present = false.</summary>
    public void ForgetSessions()
    {
        lock (_gate)
        {
            _sessions.Clear();
        }
    }

    /// <summary>Gets a value indicating whether the broker holds a session for a client ID.</summary>
    /// <param name="clientId">The client ID.</param>
    /// <returns>Whether a session is stored.</returns>
    public bool HasSession(string clientId)
    {
        lock (_gate)
        {
            return _sessions.ContainsKey(clientId);
        }
    }

    /// <summary>Gets the packet identifiers of a client's inbound QoS 2 messages delivered and still awaiting their PUBREL.</summary>
    /// <param name="clientId">The client ID.</param>
    /// <returns>The identifiers, ascending; empty without a session.</returns>
    public IReadOnlyList<ushort> AwaitingPubRel(string clientId)
    {
        lock (_gate)
        {
            return _sessions.TryGetValue(clientId, out var session) ? [.. session.AwaitingPubRel.Order()] : [];
        }
    }

    /// <summary>Stops listening and closes every connection (again is a no-op).</summary>
    /// <returns>A task that completes when every connection has ended.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _acceptLoop.ConfigureAwait(false);
        Task[] runs;
        lock (_gate)
        {
            runs = [.. _connections.Select(c => c.Run)];
            _connections.ForEach(c => c.Connection.Close());
        }

        await Task.WhenAll(runs).WaitAsync(TestTimeouts.Startup).ConfigureAwait(false);
        _stop.Dispose();
    }

    internal bool HoldsAcknowledgements => _holdAcknowledgements;

    /// <summary>Consumes a cut rule matching a packet that was just received or sent.</summary>
    internal bool TakeCut(BrokerPacketDirection direction, MqttControlPacketType type)
    {
        lock (_gate)
        {
            var index = _cuts.FindIndex(c => c.Direction == direction && c.Type == type);
            if (index < 0)
            {
                return false;
            }

            if (--_cuts[index].Remaining > 0)
            {
                return false;
            }

            _cuts.RemoveAt(index);
            return true;
        }
    }

    internal void OnClosed(ScriptedConnection connection)
    {
        lock (_gate)
        {
            if (_live.TryGetValue(connection.ClientId, out var live) && live == connection)
            {
                _live.Remove(connection.ClientId);
            }

            if (connection.Session is { Persistent: false } session && _sessions.TryGetValue(session.ClientId, out var stored) && stored == session)
            {
                _sessions.Remove(session.ClientId);
            }
        }
    }

    private ScriptedConnection[] Live()
    {
        lock (_gate)
        {
            return [.. _live.Values];
        }
    }

    private void AddCut(BrokerPacketDirection direction, MqttControlPacketType type, int nth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nth, 1);
        lock (_gate)
        {
            _cuts.Add(new CutRule(direction, type) { Remaining = nth });
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            socket.NoDelay = true;
            var connection = new ScriptedConnection(this, Interlocked.Increment(ref _nextConnection), socket);
            lock (_gate)
            {
                _connections.Add((connection, Task.Run(connection.RunAsync)));
            }
        }
    }

    private sealed class CutRule(BrokerPacketDirection direction, MqttControlPacketType type)
    {
        public BrokerPacketDirection Direction { get; } = direction;

        public MqttControlPacketType Type { get; } = type;

        public int Remaining { get; set; }
    }
}
