using System.Collections.Concurrent;
using MQTTnet;
using MQTTnet.Protocol;

namespace Octopus.Mqtt.Tests.Connection;

/// <summary>
/// Stands in for the network and the broker behind <see cref="FakeMqttClient"/>s: decides connect results, acknowledges
/// (or holds) publishes, answers (or ignores) pings, and records everything.
/// </summary>
internal sealed class FakeBroker
{
    private readonly List<FakeMqttClient> _clients = [];

    /// <summary>Gets the result codes of the next connection attempts; when empty, attempts succeed.</summary>
    public ConcurrentQueue<MqttClientConnectResultCode> ConnectResults { get; } = new();

    /// <summary>Gets the options of every connection attempt.</summary>
    public ConcurrentQueue<MqttClientOptions> ConnectOptions { get; } = new();

    /// <summary>Gets the time of every connection attempt.</summary>
    public ConcurrentQueue<DateTimeOffset> ConnectTimes { get; } = new();

    /// <summary>Gets or sets the clock the attempts are timed with.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>Gets the acknowledged (QoS 1/2) or written (QoS 0) messages, in order.</summary>
    public ConcurrentQueue<PublishedMessage> Published { get; } = new();

    /// <summary>Gets every PUBLISH attempt, acknowledged or not.</summary>
    public ConcurrentQueue<PublishedMessage> Attempts { get; } = new();

    /// <summary>Gets or sets a value indicating whether publishes wait for <see cref="ReleasePublishes"/>.</summary>
    public bool HoldPublishes { get; set; }

    /// <summary>Gets or sets the reason code of acknowledgements.</summary>
    public MqttClientPublishReasonCode PublishReason { get; set; } = MqttClientPublishReasonCode.Success;

    /// <summary>Gets or sets a value indicating whether pings go unanswered.</summary>
    public bool HoldPings { get; set; }

    /// <summary>Gets the number of pings sent.</summary>
    public int Pings => _pings;

    /// <summary>Gets the topic filters the broker refuses, with the code.</summary>
    public ConcurrentDictionary<string, MqttClientSubscribeResultCode> RefusedFilters { get; } = new();

    /// <summary>Gets every SUBSCRIBE and UNSUBSCRIBE, e.g. <c>+a/b@1</c> and <c>-a/b</c>.</summary>
    public ConcurrentQueue<string> SubscriptionLog { get; } = new();

    /// <summary>Gets the connect result's IsSessionPresent flag.</summary>
    public bool SessionPresent { get; set; }

    private int _pings;

    public int ConnectAttempts => ConnectOptions.Count;

    public IReadOnlyList<FakeMqttClient> Clients
    {
        get
        {
            lock (_clients)
            {
                return _clients.ToList();
            }
        }
    }

    public FakeMqttClient Current => Clients[^1];

    public IMqttClient CreateClient()
    {
        var client = new FakeMqttClient(this, Clients.Count);
        lock (_clients)
        {
            _clients.Add(client);
        }

        return client;
    }

    public void ReleasePublishes()
    {
        HoldPublishes = false;
        foreach (var client in Clients)
        {
            client.AcknowledgePending();
        }
    }

    internal void CountPing() => Interlocked.Increment(ref _pings);

    internal MqttClientConnectResult Connect(MqttClientOptions options)
    {
        ConnectOptions.Enqueue(options);
        ConnectTimes.Enqueue(Time.GetUtcNow());
        var code = ConnectResults.TryDequeue(out var next) ? next : MqttClientConnectResultCode.Success;
        return new MqttClientConnectResult { ResultCode = code, IsSessionPresent = SessionPresent && code == MqttClientConnectResultCode.Success };
    }
}

/// <summary>A message as the fake broker saw it.</summary>
internal sealed record PublishedMessage(string Topic, byte[] Payload, MqttQualityOfServiceLevel Qos, bool Retain, bool Dup, int Connection)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Payload);
}
