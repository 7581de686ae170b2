using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using MQTTnet;

namespace Octopus.Mqtt.LoadTool.Workload;

/// <summary>
/// One raw MQTTnet client subscribed (QoS 0) to every device's topic for the whole run; it reads each payload's case,
/// device, sequence number and send time, and hands them to the current case's <see cref="CaseTracker"/>.
/// </summary>
internal sealed class EndToEndSubscriber : IAsyncDisposable
{
    public const string TopicFilter = "octopus/load/#";

    /// <summary>
    /// The subscriber's socket buffers: with MQTTnet's 8 KB the subscriber, not the publisher under test, would be what
    /// mosquitto waits for. (The library leaves its own sockets' buffers to the kernel.)
    /// </summary>
    private const int SocketBufferSize = 256 * 1024;

    private readonly IMqttClient _client;
    private volatile CaseTracker? _current;
    private long _strays;

    private EndToEndSubscriber(IMqttClient client)
    {
        _client = client;
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
    }

    /// <summary>Gets how many messages arrived for no current case (late arrivals of an earlier case).</summary>
    public long Strays => Interlocked.Read(ref _strays);

    public static async Task<EndToEndSubscriber> StartAsync(Uri server)
    {
        var factory = new MqttClientFactory();
        var subscriber = new EndToEndSubscriber(factory.CreateMqttClient());
        var options = factory.CreateClientOptionsBuilder()
            .WithTcpServer(server.Host, server.Port)
            .WithClientId("loadtool-subscriber-" + Guid.NewGuid().ToString("N")[..8])
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311)
            .WithCleanSession()
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(60))
            .Build();
        ((MqttClientTcpOptions)options.ChannelOptions).BufferSize = SocketBufferSize;
        await subscriber._client.ConnectAsync(options);
        var subscribe = factory.CreateSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic(TopicFilter).WithAtMostOnceQoS())
            .Build();
        await subscriber._client.SubscribeAsync(subscribe);
        return subscriber;
    }

    public CaseTracker Begin(int caseId, int devices, int messages)
    {
        var tracker = new CaseTracker(caseId, devices, messages);
        _current = tracker;
        return tracker;
    }

    public void End() => _current = null;

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var arrivedAt = Stopwatch.GetTimestamp();
        if (TryRead(e.ApplicationMessage.Payload, out var caseId, out var device, out var seq, out var sentAt)
            && _current is { } tracker && tracker.CaseId == caseId)
        {
            tracker.Record(device, seq, sentAt, arrivedAt);
        }
        else
        {
            Interlocked.Increment(ref _strays);
        }

        return Task.CompletedTask;
    }

    private static bool TryRead(ReadOnlySequence<byte> payload, out int caseId, out int device, out int seq, out long sentAt)
    {
        caseId = device = seq = -1;
        sentAt = 0;
        var reader = new Utf8JsonReader(payload);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
                {
                    continue;
                }

                if (reader.ValueTextEquals("case"u8))
                {
                    reader.Read();
                    caseId = reader.GetInt32();
                }
                else if (reader.ValueTextEquals("device"u8))
                {
                    reader.Read();
                    device = reader.GetInt32();
                }
                else if (reader.ValueTextEquals("seq"u8))
                {
                    reader.Read();
                    seq = reader.GetInt32();
                }
                else if (reader.ValueTextEquals("sentAt"u8))
                {
                    reader.Read();
                    sentAt = reader.GetInt64();
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }

        return caseId >= 0 && device >= 0 && seq >= 0 && sentAt > 0;
    }
}
