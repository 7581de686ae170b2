using System.Text;
using Octopus.Mqtt.IntegrationTests.Brokers;

namespace Octopus.Mqtt.IntegrationTests.Contract;

/// <summary>
/// The behaviour every <see cref="IMqttDeviceClient"/> must share, written once and run against the real client on an
/// in-process MQTTnet broker and against the in-memory fake (Octopus.Mqtt.Testing), so the fake cannot drift from
/// what it claims to imitate. A subclass says how to create clients, publish as another client, see what reached the
/// broker, and take the subject's connection away.
/// </summary>
public abstract partial class DeviceClientContract : IAsyncLifetime
{
    protected const string Template = "cattle.io/octopus/:namespace/device/:name";
    protected const string FanTopic = "cattle.io/octopus/default/device/fan";
    protected const string FanClientId = "octopus-9e8efcb04b7945e7a4c43349562292e3";

    protected static readonly DeviceIdentity Fan = new("default", "fan", "9e8efcb0-4b79-45e7-a4c4-3349562292e3");
    protected static readonly DeviceIdentity Watcher = new("default", "watcher", "5b0c3e1a-8d2f-4c6e-9a7b-1f2e3d4c5b6a");

    private readonly List<IMqttDeviceClient> _clients = [];
    private readonly Dictionary<IMqttDeviceClient, StateLog> _states = [];

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await StartAsync();

    public async ValueTask DisposeAsync()
    {
        for (var i = _clients.Count - 1; i >= 0; i--)
        {
            await _clients[i].DisposeAsync();
        }

        await StopAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts the broker.</summary>
    protected abstract Task StartAsync();

    /// <summary>Stops the broker.</summary>
    protected abstract Task StopAsync();

    /// <summary>Creates a client; the subclass sets <c>client.server</c> for the role.</summary>
    protected abstract IMqttDeviceClient CreateClient(DeviceIdentity device, MqttOptions options, MqttDeviceClientOptions? clientOptions, ClientRole role);

    /// <summary>Publishes a message as another MQTT client would.</summary>
    protected abstract Task InjectAsync(string topic, byte[] payload, MqttQos qos, bool retain);

    /// <summary>Gets every message that reached the broker so far, with its publisher's client ID.</summary>
    protected abstract IReadOnlyList<ReceivedMessage> GetPublished();

    /// <summary>Waits (with a deadline) until the messages that reached the broker satisfy <paramref name="condition"/>.</summary>
    protected abstract Task<IReadOnlyList<ReceivedMessage>> WaitUntilPublishedAsync(Func<IReadOnlyList<ReceivedMessage>, bool> condition, string description);

    /// <summary>Takes the subject's connection away without a will (the broker goes away) and returns once the client knows.</summary>
    protected abstract Task GoOfflineAsync(IMqttDeviceClient client);

    /// <summary>Gives the connection back and returns once the client is connected again.</summary>
    protected abstract Task ComeBackAsync(IMqttDeviceClient client);

    /// <summary>Cuts the subject's connection abruptly, so the broker publishes its will.</summary>
    protected abstract Task LoseConnectionAbruptlyAsync(IMqttDeviceClient client);

    /// <summary>Makes the broker refuse the subject's next connection as not authorized (the fake: <c>FailNextConnect()</c>).</summary>
    protected abstract void RefuseNextConnect(IMqttDeviceClient client);

    /// <summary>Makes the broker refuse the subject's next subscription as not authorized (the fake: <c>FailNextSubscribe()</c>).</summary>
    protected abstract void RefuseNextSubscribe(IMqttDeviceClient client);

    /// <summary>Makes an MQTT 5 broker refuse the subject's next publish as not authorized (the fake: <c>FailNextPublish()</c>).</summary>
    protected abstract void RefuseNextPublish(IMqttDeviceClient client);

    protected static MqttOptions Options(string topic = Template, Action<MqttOptions>? configure = null)
    {
        var options = new MqttOptions
        {
            Client =
            {
                Server = "tcp://127.0.0.1:1",
                MaxReconnectInterval = GoDuration.FromMilliseconds(100),
                ConnectTimeout = GoDuration.FromSeconds(5),
                WriteTimeout = GoDuration.FromSeconds(5),
                DisconnectQuiesce = GoDuration.FromSeconds(1),
            },
            Message = { Topic = topic },
        };
        configure?.Invoke(options);
        return options;
    }

    protected static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    protected static Dictionary<string, string> Map(string key, string value) => new() { [key] = value };

    protected IMqttDeviceClient Create(MqttOptions? options = null, MqttDeviceClientOptions? clientOptions = null, DeviceIdentity? device = null, ClientRole role = ClientRole.Subject)
    {
        var client = CreateClient(device ?? Fan, options ?? Options(), clientOptions, role);
        _clients.Add(client);
        _states[client] = new StateLog(client);
        return client;
    }

    protected async Task<IMqttDeviceClient> ConnectAsync(MqttOptions? options = null, MqttDeviceClientOptions? clientOptions = null, DeviceIdentity? device = null, ClientRole role = ClientRole.Subject)
    {
        var client = Create(options, clientOptions, device, role);
        await client.ConnectAsync(Ct);
        return client;
    }

    protected StateLog StatesOf(IMqttDeviceClient client) => _states[client];

    /// <summary>Connects a watcher device subscribed to <paramref name="topicFilter"/> (a template without keywords).</summary>
    protected async Task<HandlerLog> WatchAsync(string topicFilter)
    {
        var watcher = await ConnectAsync(Options(topicFilter), device: Watcher, role: ClientRole.Observer);
        var log = new HandlerLog();
        await watcher.SubscribeAsync([new MqttDeviceSubscription()], log.Handler, Ct);
        return log;
    }

    protected Task InjectAsync(string topic, string payload, bool retain = false) => InjectAsync(topic, Bytes(payload), MqttQos.AtLeastOnce, retain);

    /// <summary>Waits for <paramref name="count"/> messages from <paramref name="clientId"/> and returns their payloads as text.</summary>
    protected async Task<IReadOnlyList<string>> WaitForPayloadsAsync(string clientId, int count)
    {
        var messages = await WaitUntilPublishedAsync(all => all.Count(m => m.ClientId == clientId) >= count, $"{count} message(s) from {clientId}");
        return [.. messages.Where(m => m.ClientId == clientId).Select(m => m.PayloadText)];
    }
}
