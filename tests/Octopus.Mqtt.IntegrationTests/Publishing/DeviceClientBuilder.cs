using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Octopus.Mqtt.IntegrationTests.Brokers;

namespace Octopus.Mqtt.IntegrationTests.Publishing;

/// <summary>
/// Builds device clients through the public <see cref="MqttDeviceClientFactory"/>, with a fresh device, a topic of
/// its own and test timings (quick reconnects, short quiesce). Records every client's state changes and log, and
/// disposes the clients it built.
/// </summary>
/// <remarks>The topic template is <c>octopus/test/&lt;guid&gt;/:name/:path</c>, so a render map's <c>path</c> adds levels.</remarks>
internal sealed class DeviceClientBuilder : IAsyncDisposable
{
    private readonly List<IMqttDeviceClient> _clients = [];
    private readonly LoggerFactory _loggerFactory;

    /// <summary>Initializes a new instance of the <see cref="DeviceClientBuilder"/> class.</summary>
    /// <param name="server">The <c>client.server</c>.</param>
    public DeviceClientBuilder(string server)
    {
        TopicPrefix = TestMqttClient.NewTopic();
        Options.Client.Server = server;
        Options.Client.MaxReconnectInterval = GoDuration.FromMilliseconds(100);
        Options.Client.ConnectTimeout = GoDuration.FromSeconds(5);
        Options.Client.WriteTimeout = GoDuration.FromSeconds(5);
        Options.Client.DisconnectQuiesce = GoDuration.FromSeconds(2);
        Options.Message.Topic = TopicPrefix + "/:name/:path";
        _loggerFactory = new LoggerFactory([new FakeLoggerProvider(Logs)]);
    }

    /// <summary>Gets or sets the DeviceLink.</summary>
    public DeviceIdentity Device { get; set; } = new("default", "fan", Guid.NewGuid().ToString());

    /// <summary>Gets the first levels of every topic of the device.</summary>
    public string TopicPrefix { get; }

    /// <summary>Gets the device's status topic (the template rendered without a path).</summary>
    public string Topic => $"{TopicPrefix}/{Device.Name}";

    /// <summary>Gets the client ID of MQTT 3.1.1 and 5.</summary>
    public string ClientId => "octopus-" + Device.Uid.Replace("-", string.Empty, StringComparison.Ordinal);

    /// <summary>Gets the Octopus options; change them before <see cref="Build"/>.</summary>
    public MqttOptions Options { get; } = new();

    /// <summary>Gets the behaviour options passed to the factory.</summary>
    public MqttDeviceClientOptions Behaviour { get; } = new();

    /// <summary>Gets or sets the references the credentials are resolved from.</summary>
    public IReferenceResolver? References { get; set; }

    /// <summary>Gets or sets the clock, or <see langword="null"/> for the system clock.</summary>
    public TimeProvider? Time { get; set; }

    /// <summary>Gets the log records of every client built.</summary>
    public FakeLogCollector Logs { get; } = new();

    /// <summary>Gets the state changes of every client built, in order.</summary>
    public StateRecorder States { get; } = new();

    /// <summary>Gets the topic of a publish with <paramref name="path"/> as its <c>path</c>.</summary>
    /// <param name="path">The path levels.</param>
    /// <returns>The topic.</returns>
    public string TopicWithPath(string path) => $"{Topic}/{path}";

    /// <summary>Builds a client with the current options (the client is disposed with the builder).</summary>
    /// <returns>The client, not connected.</returns>
    public IMqttDeviceClient Build()
    {
        var client = new MqttDeviceClientFactory(Behaviour, _loggerFactory, Time).Create(Device, Options, References);
        States.Attach(client);
        _clients.Add(client);
        return client;
    }

    /// <summary>Builds a client and connects it.</summary>
    /// <returns>The connected client.</returns>
    public async Task<IMqttDeviceClient> ConnectAsync()
    {
        var client = Build();
        await client.ConnectAsync(TestContext.Current.CancellationToken);
        return client;
    }

    /// <summary>Subscribes <paramref name="client"/> to its command topic (<see cref="TopicWithPath"/> "set") and records the payloads it receives.</summary>
    /// <param name="client">A client of this builder.</param>
    /// <returns>The payloads, as UTF-8 text, in arrival order.</returns>
    public static async Task<ConditionRecorder<string>> SubscribeToCommandsAsync(IMqttDeviceClient client)
    {
        var commands = new ConditionRecorder<string>();
        await client.SubscribeAsync(
            [new MqttDeviceSubscription { RenderMap = new Dictionary<string, string> { ["path"] = "set" } }],
            (_, _, payload, _) =>
            {
                commands.Add(System.Text.Encoding.UTF8.GetString(payload.Span));
                return ValueTask.CompletedTask;
            },
            TestContext.Current.CancellationToken);
        return commands;
    }

    /// <summary>Waits until the clients have reported <paramref name="state"/> at least <paramref name="count"/> times.</summary>
    /// <param name="state">The state.</param>
    /// <param name="count">How many times.</param>
    /// <returns>The state change that made the count.</returns>
    public Task<MqttConnectionStateChangedEventArgs> WaitForStateAsync(MqttConnectionState state, int count = 1) => States.WaitForAsync(state, count);

    /// <summary>Gets how many log records with event id <paramref name="eventId"/> were written.</summary>
    /// <param name="eventId">The event id.</param>
    /// <returns>The count.</returns>
    public int LogCount(int eventId) => Logs.GetSnapshot().Count(r => r.Id.Id == eventId);

    /// <summary>Disposes every client built, newest first.</summary>
    /// <returns>A task that completes when they are disposed.</returns>
    public async ValueTask DisposeAsync()
    {
        for (var i = _clients.Count - 1; i >= 0; i--)
        {
            await _clients[i].DisposeAsync();
        }

        _loggerFactory.Dispose();
    }
}
