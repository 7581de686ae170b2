using System.Collections.Concurrent;
using MQTTnet;
using MQTTnet.Protocol;

namespace Octopus.Mqtt.IntegrationTests.Engine;

/// <summary>A plain MQTTnet client that subscribes to a filter and records what it receives, or publishes test messages.</summary>
internal sealed class Observer : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();

    private Observer()
    {
        _client.ApplicationMessageReceivedAsync += e =>
        {
            var message = e.ApplicationMessage;
            Received.Enqueue(new BrokerMessage(string.Empty, message.Topic, System.Buffers.BuffersExtensions.ToArray(message.Payload), message.QualityOfServiceLevel, message.Retain));
            return Task.CompletedTask;
        };
    }

    public ConcurrentQueue<BrokerMessage> Received { get; } = new();

    public static async Task<Observer> ConnectAsync(int port, params string[] filters)
    {
        var observer = new Observer();
        await observer._client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("observer-" + Guid.NewGuid().ToString("N")).Build(), TestContext.Current.CancellationToken);
        foreach (var filter in filters)
        {
            await observer._client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, MqttQualityOfServiceLevel.ExactlyOnce).Build(), TestContext.Current.CancellationToken);
        }

        return observer;
    }

    public Task PublishAsync(string topic, string payload) =>
        _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptions(), CancellationToken.None);
        }

        _client.Dispose();
    }
}
