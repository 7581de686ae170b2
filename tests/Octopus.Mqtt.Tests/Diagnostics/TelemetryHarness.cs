using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using MQTTnet;
using Octopus.Mqtt.Tests.Connection;
using Octopus.Mqtt.Tests.Publishing;

namespace Octopus.Mqtt.Tests.Diagnostics;

/// <summary>Builds engine clients with telemetry over a <see cref="FakeBroker"/>, a fake clock and a meter of their own.</summary>
internal sealed class TelemetryHarness : IAsyncDisposable
{
    private readonly List<MqttDeviceClient> _clients = [];

    public TelemetryHarness(string template)
    {
        Template = template;
        Broker.Time = Time;
        Metrics = MqttMetrics.Get(MeterFactory);
    }

    public string Template { get; }

    public TestMeterFactory MeterFactory { get; } = new();

    public MqttMetrics Metrics { get; }

    public TrackingTimeProvider Time { get; } = new();

    public FakeBroker Broker { get; } = new();

    public MqttClientSettings Client { get; } = new() { Server = "tcp://broker:1883" };

    public MqttDeviceClientOptions Options { get; } = new();

    public Microsoft.Extensions.Logging.ILogger Logger { get; set; } = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public MetricCollector<T> Collect<T>(string instrument)
        where T : struct => new(MeterFactory, OctopusMqttTelemetry.MeterName, instrument);

    public MqttDeviceClient Create()
    {
        var device = new DeviceIdentity("default", "case1", "9e8efcb0-4b79-45e7-a4c4-3349562292e3");
        var client = new MqttDeviceClient(new MqttDeviceClientSetup
        {
            Device = device,
            ClientId = EngineHarness.LongClientId,
            Client = Client,
            Message = new MqttMessageSettings { Topic = Template },
            Topics = new FakeDeviceTopics(Template),
            OptionsFactory = (server, _, _) => new ValueTask<MqttClientOptions>(MqttClientOptionsFactory.Create(Client, server, EngineHarness.LongClientId, MqttCredentials.None, null, Client.ProtocolVersion)),
            Options = Options,
            TimeProvider = Time,
            Logger = Logger,
            WireFactory = Broker.CreateWire,
            Random = new FixedRandom(1),
            Telemetry = new MqttDeviceClientTelemetry(Metrics, Template, Time),
        });
        _clients.Add(client);
        return client;
    }

    public async Task<MqttDeviceClient> ConnectedAsync()
    {
        var client = Create();
        await client.ConnectAsync(TestContext.Current.CancellationToken);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            var disposing = client.DisposeAsync().AsTask();
            while (!disposing.IsCompleted)
            {
                Time.Advance(TimeSpan.FromSeconds(1));
                await Task.WhenAny(disposing, Task.Delay(5, TestContext.Current.CancellationToken));
            }

            await disposing;
        }

        MeterFactory.Dispose();
    }
}
