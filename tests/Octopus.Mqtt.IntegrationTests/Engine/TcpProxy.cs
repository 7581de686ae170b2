using System.Net;
using System.Net.Sockets;
using Octopus.Mqtt.IntegrationTests.Brokers;

namespace Octopus.Mqtt.IntegrationTests.Engine;

/// <summary>
/// Forwards TCP connections from a port of its own to the broker, so a test can cut them abruptly (as a network
/// failure would: no DISCONNECT, so the broker publishes the will), silence them (bytes swallowed, pings unanswered),
/// or close a valve on one direction: bytes toward the client held (kept, in order, until opened again) and bytes
/// toward the broker dropped, so the broker receives a PUBLISH whose answer the client never sees, or the client
/// answers a PUBREC the broker never gets, before the test cuts.
/// </summary>
internal sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _sockets = [];
    private readonly Task _accepting;
    private readonly Lock _gate = new();
    private TaskCompletionSource _towardClient = Opened();
    private volatile bool _dropTowardBroker;
    private long _droppedTowardBroker;

    public TcpProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>Gets the connections accepted so far (the value is the client's end point), recorded before any byte is forwarded.</summary>
    public ConditionRecorder<string> Connections { get; } = new();

    /// <summary>Gets or sets a value indicating whether bytes are swallowed instead of forwarded.</summary>
    public bool Silent { get; set; }

    /// <summary>Gets how many bytes from the client were dropped so far.</summary>
    public long DroppedTowardBroker => Interlocked.Read(ref _droppedTowardBroker);

    /// <summary>Holds (or releases, in order) the bytes from the broker to the client.</summary>
    /// <param name="hold">Whether to hold them.</param>
    public void HoldTowardClient(bool hold)
    {
        lock (_gate)
        {
            if (hold && _towardClient.Task.IsCompleted)
            {
                _towardClient = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            else if (!hold)
            {
                _towardClient.TrySetResult();
            }
        }
    }

    /// <summary>Drops (or forwards again) the bytes from the client to the broker.</summary>
    /// <param name="drop">Whether to drop them.</param>
    public void DropTowardBroker(bool drop) => _dropTowardBroker = drop;

    /// <summary>Resets every forwarded connection (both sides see an abrupt close; held bytes are lost).</summary>
    public void CutAll()
    {
        lock (_sockets)
        {
            foreach (var socket in _sockets)
            {
                try
                {
                    socket.LingerState = new LingerOption(true, 0);
                    socket.Close();
                }
                catch (ObjectDisposedException)
                {
                }
            }

            _sockets.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        HoldTowardClient(false);
        CutAll();
        try
        {
            await _accepting;
        }
        catch (Exception)
        {
        }

        _stop.Dispose();
    }

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }

            Connections.Add(client.RemoteEndPoint?.ToString() ?? "?");
            var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await upstream.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
            }
            catch (Exception)
            {
                client.Close();
                upstream.Dispose();
                continue;
            }

            lock (_sockets)
            {
                _sockets.Add(client);
                _sockets.Add(upstream);
            }

            _ = PumpAsync(client, upstream, towardClient: false);
            _ = PumpAsync(upstream, client, towardClient: true);
        }
    }

    private async Task PumpAsync(Socket from, Socket to, bool towardClient)
    {
        var buffer = new byte[8192];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0)
                {
                    break;
                }

                if (towardClient)
                {
                    Task open;
                    lock (_gate)
                    {
                        open = _towardClient.Task;
                    }

                    await open.WaitAsync(_stop.Token);
                }
                else if (_dropTowardBroker)
                {
                    Interlocked.Add(ref _droppedTowardBroker, read);
                    continue;
                }

                if (!Silent)
                {
                    await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
                }
            }
        }
        catch (Exception)
        {
        }

        try
        {
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception)
        {
        }
    }
}
