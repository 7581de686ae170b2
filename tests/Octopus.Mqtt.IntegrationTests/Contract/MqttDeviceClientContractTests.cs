using MQTTnet;
using MQTTnet.Protocol;
using Octopus.Mqtt.IntegrationTests.Brokers;
using InProcessBroker = Octopus.Mqtt.IntegrationTests.Brokers.InProcessBroker;
using TcpProxy = Octopus.Mqtt.IntegrationTests.Engine.TcpProxy;

namespace Octopus.Mqtt.IntegrationTests.Contract;

/// <summary>
/// The contract against the real client from <see cref="MqttDeviceClientFactory"/>, on an in-process MQTTnet broker.
/// The subject reaches the broker through a TCP proxy, so its connection can be cut abruptly (the broker publishes the
/// will); stopping the broker takes every connection away without a will.
/// </summary>
public sealed class MqttDeviceClientContractTests : DeviceClientContract
{
    private InProcessBroker _broker = null!;
    private TcpProxy _proxy = null!;

    protected override async Task StartAsync()
    {
        _broker = await InProcessBroker.StartAsync();
        _proxy = new TcpProxy(_broker.Port);
    }

    protected override async Task StopAsync()
    {
        await _proxy.DisposeAsync();
        await _broker.DisposeAsync();
    }

    protected override IMqttDeviceClient CreateClient(DeviceIdentity device, MqttOptions options, MqttDeviceClientOptions? clientOptions, ClientRole role)
    {
        options.Client.Server = role == ClientRole.Subject ? $"tcp://127.0.0.1:{_proxy.Port}" : _broker.Server;
        return new MqttDeviceClientFactory(clientOptions).Create(device, options);
    }

    protected override async Task InjectAsync(string topic, byte[] payload, MqttQos qos, bool retain)
    {
        using var client = await TestMqttClient.ConnectAsync(_broker.Server, Ct);
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel((MqttQualityOfServiceLevel)qos)
            .WithRetainFlag(retain)
            .Build();
        await client.PublishAsync(message, Ct);
        await client.DisconnectAsync(new MqttClientDisconnectOptions(), Ct);
    }

    protected override IReadOnlyList<ReceivedMessage> GetPublished() => _broker.Messages.GetSnapshot();

    protected override Task<IReadOnlyList<ReceivedMessage>> WaitUntilPublishedAsync(Func<IReadOnlyList<ReceivedMessage>, bool> condition, string description) =>
        _broker.Messages.WaitUntilAsync(condition, description);

    protected override async Task GoOfflineAsync(IMqttDeviceClient client)
    {
        await _broker.StopAsync();
        await StateLog.WaitForStateAsync(client, MqttConnectionState.Reconnecting);
    }

    protected override async Task ComeBackAsync(IMqttDeviceClient client)
    {
        if (!_broker.IsRunning)
        {
            await _broker.StartAsync();
        }

        await StateLog.WaitForStateAsync(client, MqttConnectionState.Connected);
    }

    protected override void RefuseNextConnect(IMqttDeviceClient client)
    {
        var refused = 0;
        _broker.ValidateConnection = e =>
        {
            if (e.ClientId == client.ClientId && Interlocked.Exchange(ref refused, 1) == 0)
            {
                e.ReasonCode = MqttConnectReasonCode.NotAuthorized;
            }

            return Task.CompletedTask;
        };
    }

    protected override void RefuseNextSubscribe(IMqttDeviceClient client)
    {
        var refused = 0;
        _broker.MqttServer!.InterceptingSubscriptionAsync += e =>
        {
            if (e.ClientId == client.ClientId && Interlocked.Exchange(ref refused, 1) == 0)
            {
                e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            }

            return Task.CompletedTask;
        };
    }

    protected override void RefuseNextPublish(IMqttDeviceClient client)
    {
        var refused = 0;
        _broker.InterceptPublish = e =>
        {
            if (e.ClientId == client.ClientId && Interlocked.Exchange(ref refused, 1) == 0)
            {
                e.ProcessPublish = false;
                e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
            }

            return Task.CompletedTask;
        };
    }

    protected override Task LoseConnectionAbruptlyAsync(IMqttDeviceClient client)
    {
        _proxy.CutAll();
        return StateLog.WaitForStateAsync(client, MqttConnectionState.Reconnecting);
    }
}
