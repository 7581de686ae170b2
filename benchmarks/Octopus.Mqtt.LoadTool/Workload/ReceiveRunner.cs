using System.Diagnostics;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Octopus.Mqtt.LoadTool.Workload;

/// <summary>
/// The receive case: one raw MQTTnet publisher sends a burst of messages to a device's command topic, and the
/// receiver is either the library's device client (a subscription and a handler that reads each message) or a bare
/// MQTTnet client (its <c>ApplicationMessageReceivedAsync</c> event): messages per second into the handler, from the
/// first publish to the last message handled.
/// </summary>
internal sealed class ReceiveRunner(Uri server, TextWriter log)
{
    private static readonly MqttClientFactory Factory = new();
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    /// <summary>Runs one round for one kind of receiver.</summary>
    /// <param name="kind">Library or raw.</param>
    /// <param name="qos">The QoS of the publishes and the subscription.</param>
    /// <param name="messages">How many messages.</param>
    /// <returns>Messages per second into the handler.</returns>
    public async Task<double> RunAsync(ClientKind kind, int qos, int messages)
    {
        var topic = $"octopus/load/receive-{Guid.NewGuid():N}/set";
        var received = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Count(int payloadLength)
        {
            if (payloadLength > 0 && Interlocked.Increment(ref received) == messages)
            {
                done.TrySetResult();
            }
        }

        await using var receiver = kind == ClientKind.Library
            ? await LibraryReceiverAsync(topic, qos, Count)
            : await RawReceiverAsync(topic, qos, Count);
        using var publisher = Factory.CreateMqttClient();
        await publisher.ConnectAsync(Options("receive-pub-"));
        var payload = """{"gear":"fast","rotatingSpeed":300}"""u8.ToArray();
        var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel((MqttQualityOfServiceLevel)qos).Build();

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < messages; i++)
        {
            await publisher.PublishAsync(message);
        }

        if (await Task.WhenAny(done.Task, Task.Delay(Deadline)) != done.Task)
        {
            log.WriteLine($"receive, {kind}, qos {qos}: only {Volatile.Read(ref received)} of {messages} messages arrived within {Deadline.TotalMinutes} minutes");
            return 0;
        }

        return messages / clock.Elapsed.TotalSeconds;
    }

    private async Task<IAsyncDisposable> LibraryReceiverAsync(string topic, int qos, Action<int> count)
    {
        var options = new MqttOptions
        {
            Client = new MqttClientSettings { Server = server.ToString() },
            Message = new MqttMessageSettings { Topic = topic, Qos = (MqttQos)qos },
        };
        var client = new MqttDeviceClientFactory().Create(new DeviceIdentity("load", "receiver", Guid.NewGuid().ToString()), options);
        await client.ConnectAsync();
        await client.SubscribeAsync(
            (message, _) =>
            {
                count(message.Payload.Length);
                return ValueTask.CompletedTask;
            },
            CancellationToken.None);
        return client;
    }

    private async Task<IAsyncDisposable> RawReceiverAsync(string topic, int qos, Action<int> count)
    {
        var client = Factory.CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            count((int)e.ApplicationMessage.Payload.Length);
            return Task.CompletedTask;
        };
        await client.ConnectAsync(Options("receive-raw-"));
        await client.SubscribeAsync(topic, (MqttQualityOfServiceLevel)qos);
        return new RawReceiver(client);
    }

    private MqttClientOptions Options(string prefix) => Factory.CreateClientOptionsBuilder()
        .WithTcpServer(server.Host, server.Port)
        .WithClientId(prefix + Guid.NewGuid().ToString("N"))
        .WithProtocolVersion(MqttProtocolVersion.V311)
        .WithCleanSession()
        .Build();

    private sealed class RawReceiver(IMqttClient client) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await client.DisconnectAsync();
            client.Dispose();
        }
    }
}
