using MQTTnet;

namespace Octopus.Mqtt;

/// <summary>
/// One connection: an MQTTnet client used for a single connection and thrown away after it, so events of an old
/// connection can never be mistaken for the current one. Lost once, for good: by MQTTnet's disconnect event, a
/// failed publish, an unanswered ping or disposal.
/// </summary>
internal sealed class ConnectionSession : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly TaskCompletionSource<Exception?> _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;

    public ConnectionSession(IMqttClient client, MqttClientOptions options)
    {
        Client = client;
        Options = options;
        Token = _cancellation.Token;
        client.DisconnectedAsync += OnDisconnectedAsync;
    }

    /// <summary>Gets the MQTTnet client of this connection.</summary>
    public IMqttClient Client { get; }

    /// <summary>Gets the options the connection was made with.</summary>
    public MqttClientOptions Options { get; }

    /// <summary>Gets the broker's CONNACK, once connected.</summary>
    public MqttClientConnectResult? ConnectResult { get; set; }

    /// <summary>Gets or sets how many publishes may await their acknowledgement at once.</summary>
    public int Window { get; set; } = 1;

    /// <summary>Gets a token cancelled when the connection is lost.</summary>
    public CancellationToken Token { get; }

    /// <summary>Gets a task completed, with the reason if one is known, when the connection is lost.</summary>
    public Task<Exception?> Lost => _lost.Task;

    /// <summary>Gets a value indicating whether the connection is lost.</summary>
    public bool IsLost => _lost.Task.IsCompleted;

    /// <summary>Marks the connection lost; only the first call counts.</summary>
    /// <param name="reason">Why, if known.</param>
    /// <returns><see langword="true"/> for the first call.</returns>
    public bool MarkLost(Exception? reason)
    {
        if (!_lost.TrySetResult(reason))
        {
            return false;
        }

        _cancellation.Cancel();
        return true;
    }

    /// <summary>Drops the connection abruptly (no DISCONNECT, so the broker will publish the will) and releases the client.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        MarkLost(null);
        Client.DisconnectedAsync -= OnDisconnectedAsync;
        Client.Dispose();
    }

    private Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs args)
    {
        // A failed attempt raises this too; the attempt's own result already says what happened.
        if (args.ClientWasConnected)
        {
            MarkLost(args.Exception ?? (args.Reason == MqttClientDisconnectReason.NormalDisconnection
                ? new MqttDeviceClientException("The connection to the broker was closed.")
                : new MqttDeviceClientException("The broker closed the connection: " + args.Reason + " (" + (int)args.Reason + ").", (int)args.Reason, null)));
        }

        return Task.CompletedTask;
    }
}
