using Octopus.Mqtt.IntegrationTests.Brokers;
using Octopus.Mqtt.Testing;

namespace Octopus.Mqtt.IntegrationTests.Contract;

/// <summary>The contract against the in-memory fake of Octopus.Mqtt.Testing.</summary>
public sealed class FakeDeviceClientContractTests : DeviceClientContract
{
    private readonly FakeMqttBroker _broker = new();

    protected override Task StartAsync() => Task.CompletedTask;

    protected override Task StopAsync() => Task.CompletedTask;

    protected override IMqttDeviceClient CreateClient(DeviceIdentity device, MqttOptions options, MqttDeviceClientOptions? clientOptions, ClientRole role) =>
        new FakeMqttDeviceClientFactory(_broker, clientOptions).Create(device, options);

    protected override async Task InjectAsync(string topic, byte[] payload, MqttQos qos, bool retain)
    {
        try
        {
            await _broker.PublishAsync(topic, payload, qos, retain, Ct);
        }
        catch (Exception exception) when (exception is not ArgumentException)
        {
            // A handler's exception: the real client logs it; here the publisher would see it.
        }
    }

    protected override IReadOnlyList<ReceivedMessage> GetPublished() => [.. _broker.Published.GetSnapshot().Select(ToReceived)];

    protected override async Task<IReadOnlyList<ReceivedMessage>> WaitUntilPublishedAsync(Func<IReadOnlyList<ReceivedMessage>, bool> condition, string description)
    {
        while (true)
        {
            var messages = GetPublished();
            if (condition(messages))
            {
                return messages;
            }

            await _broker.Published.WaitForCountAsync(messages.Count + 1, TestTimeouts.Arrival);
        }
    }

    protected override Task GoOfflineAsync(IMqttDeviceClient client)
    {
        ((FakeMqttDeviceClient)client).SimulateDisconnect();
        return Task.CompletedTask;
    }

    protected override Task ComeBackAsync(IMqttDeviceClient client) => ((FakeMqttDeviceClient)client).SimulateReconnectAsync();

    protected override Task LoseConnectionAbruptlyAsync(IMqttDeviceClient client) => ((FakeMqttDeviceClient)client).SimulateConnectionLossAsync();

    protected override void RefuseNextConnect(IMqttDeviceClient client) => ((FakeMqttDeviceClient)client).FailNextConnect();

    protected override void RefuseNextSubscribe(IMqttDeviceClient client) => ((FakeMqttDeviceClient)client).FailNextSubscribe();

    protected override void RefuseNextPublish(IMqttDeviceClient client) => ((FakeMqttDeviceClient)client).FailNextPublish();

    private static ReceivedMessage ToReceived(FakeMqttMessage message) =>
        new(message.Topic, message.Payload.ToArray(), message.Qos, message.Retained, message.ClientId);
}
