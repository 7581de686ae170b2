using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Testing;
using MQTTnet;
using Octopus.Mqtt.Tests.Connection;

namespace Octopus.Mqtt.Tests.Publishing;

/// <summary>Builds a <see cref="MqttDeviceClient"/> over a <see cref="FakeBroker"/> and a fake clock.</summary>
internal sealed class EngineHarness : IAsyncDisposable
{
    public const string LongClientId = "octopus-9e8efcb04b7945e7a4c43349562292e3";
    public const string ShortClientId = "octopus-efcb04957c34593";

    private readonly List<MqttDeviceClient> _clients = [];
    private volatile string? _host;

    public EngineHarness()
    {
        Broker.Time = Time;
    }

    public TrackingTimeProvider Time { get; } = new();

    public FakeBroker Broker { get; } = new();

    public FakeLogger Logger { get; } = new();

    public DeviceIdentity Device { get; } = new("default", "case1", "9e8efcb0-4b79-45e7-a4c4-3349562292e3");

    public MqttClientSettings Client { get; } = new() { Server = "tcp://broker:1883" };

    public MqttMessageSettings Message { get; } = new() { Topic = "cattle.io/octopus/:namespace/:name" };

    public MqttDeviceClientOptions Options { get; } = new();

    public FakeDeviceTopics Topics { get; set; } = new("cattle.io/octopus/:namespace/:name", "cattle.io/octopus/default/case1/:key");

    /// <summary>Gets the fallback flag of every options-factory call.</summary>
    public ConcurrentQueue<bool> FactoryCalls { get; } = new();

    public Exception? FactoryFailure { get; set; }

    public Action<MqttClientOptions>? AdjustOptions { get; set; }
    /// <summary>Gets the server of every options-factory call.</summary>
    public ConcurrentQueue<ServerAddress> Servers { get; } = new();

    /// <summary>Gets brokers by host: an attempt at one of these hosts goes to its broker, any other to <see cref="Broker"/>.</summary>
    public ConcurrentDictionary<string, FakeBroker> BrokersByHost { get; } = new();

    public string? WillTopic { get; set; }

    public byte[]? WillPayload { get; set; }

    public IMessageStore? Store { get; set; }

    public List<MqttConnectionStateChangedEventArgs> StateChanges { get; } = [];

    public MqttDeviceClient Create()
    {
        var client = new MqttDeviceClient(new MqttDeviceClientSetup
        {
            Device = Device,
            ClientId = LongClientId,
            Client = Client,
            Message = Message,
            Topics = Topics,
            OptionsFactory = CreateOptionsAsync,
            Options = Options,
            TimeProvider = Time,
            Logger = Logger,
            WireFactory = options => BrokerOf(_host).CreateWire(options),
            Store = Store,
            Random = new FixedRandom(1),
        });
        client.StateChanged += (_, e) =>
        {
            lock (StateChanges)
            {
                StateChanges.Add(e);
            }
        };
        _clients.Add(client);
        return client;
    }

    /// <summary>Adds a broker answering at <paramref name="host"/>.</summary>
    public FakeBroker AddBroker(string host) => BrokersByHost.GetOrAdd(host, _ => new FakeBroker { Time = Time });

    public IReadOnlyList<MqttConnectionState> States()
    {
        lock (StateChanges)
        {
            return StateChanges.Select(e => e.State).ToList();
        }
    }

    public async Task<MqttDeviceClient> ConnectedAsync()
    {
        var client = Create();
        await client.ConnectAsync(TestContext.Current.CancellationToken);
        return client;
    }

    /// <summary>Waits until the supervisor sleeps in its backoff delay, then lets that delay pass.</summary>
    public async Task PassBackoffAsync(TimeSpan delay)
    {
        await Eventually.TrueAsync(() => Time.HasTimerDueIn(delay), $"a backoff delay of {delay} is armed (armed: {string.Join(", ", Time.ArmedDelays())})");
        Time.Advance(delay);
    }

    private FakeBroker BrokerOf(string? host) => host is not null && BrokersByHost.TryGetValue(host, out var broker) ? broker : Broker;

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
    }

    private ValueTask<MqttClientOptions> CreateOptionsAsync(ServerAddress server, bool fallback, CancellationToken cancellationToken)
    {
        FactoryCalls.Enqueue(fallback);
        Servers.Enqueue(server);
        _host = server.Host;
        if (FactoryFailure is not null)
        {
            throw FactoryFailure;
        }

        var will = WillTopic is null ? null : new LastWillMessage(WillTopic, WillPayload ?? [], MqttQos.AtLeastOnce, false);
        var options = MqttClientOptionsFactory.Create(Client, server, fallback ? ShortClientId : LongClientId, MqttCredentials.None, will, fallback ? 3 : Client.ProtocolVersion);
        AdjustOptions?.Invoke(options);
        return new ValueTask<MqttClientOptions>(options);
    }
}
