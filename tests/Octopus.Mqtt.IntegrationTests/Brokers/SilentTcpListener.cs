using System.Net;
using System.Net.Sockets;

namespace Octopus.Mqtt.IntegrationTests.Brokers;

/// <summary>
/// Accepts TCP connections on 127.0.0.1 and never sends a byte: a broker that does not answer, for connect timeouts.
/// Disposing closes the listener and every accepted connection.
/// </summary>
public sealed class SilentTcpListener : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<Socket> _accepted = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private int _disposed;

    private SilentTcpListener()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptAsync();
    }

    /// <summary>Gets the port.</summary>
    public int Port { get; }

    /// <summary>Gets the connections accepted so far (the value is the remote end point).</summary>
    public ConditionRecorder<string> Connections { get; } = new();

    /// <summary>Starts listening on a free port.</summary>
    /// <returns>The listener.</returns>
    public static SilentTcpListener Start() => new();

    /// <summary>Gets a <c>client.server</c> value for this listener.</summary>
    /// <param name="scheme">The scheme: tcp, ssl, ws…</param>
    /// <returns>The server URI.</returns>
    public string Server(string scheme = "tcp") => $"{scheme}://127.0.0.1:{Port}";

    /// <summary>Closes the listener and every connection (again is a no-op).</summary>
    /// <returns>A task that completes when the accept loop has ended.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        try
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        lock (_accepted)
        {
            foreach (var socket in _accepted)
            {
                socket.Dispose();
            }

            _accepted.Clear();
        }

        _stop.Dispose();
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

            lock (_accepted)
            {
                _accepted.Add(socket);
            }

            Connections.Add(socket.RemoteEndPoint?.ToString() ?? "?");
        }
    }
}
