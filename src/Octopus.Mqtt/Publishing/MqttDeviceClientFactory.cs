using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;

namespace Octopus.Mqtt;

/// <summary>
/// Creates the MQTTnet-backed device client of a DeviceLink: validates its options, binds its topic template, and
/// connects with credentials resolved from its references again before every (re)connect.
/// </summary>
/// <remarks>
/// The clients of one factory share a reconnect pace: each reconnect waits for its backoff delay and for a free slot,
/// at most 100 attempts per second in all, so a fleet dropped by a broker restart comes back spread over seconds
/// (1,000 devices in about 10 s) rather than all in the same second. A single device reconnects as its backoff says.
/// </remarks>
public sealed class MqttDeviceClientFactory : IMqttDeviceClientFactory, IPlannedDeviceClientFactory
{
    private readonly MqttDeviceClientOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _timeProvider;
    private readonly MqttMetrics _metrics;
    private readonly ILogger? _mqttNetLogger;
    private readonly ReconnectPacer _reconnectPacer;

    /// <summary>Initializes a new instance of the <see cref="MqttDeviceClientFactory"/> class.</summary>
    /// <param name="options">Behaviour beyond the Octopus options (offline-queue overflow, first connect…); the defaults when <see langword="null"/>.</param>
    /// <param name="loggerFactory">Where the clients log, MQTTnet's own messages included (category <c>Octopus.Mqtt.MQTTnet</c>); nowhere when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock of timeouts, backoff and keep-alive; the system clock when <see langword="null"/>.</param>
    /// <param name="meterFactory">Creates the <c>Octopus.Mqtt</c> meter (see <see cref="OctopusMqttTelemetry"/>); a shared meter when <see langword="null"/>.</param>
    public MqttDeviceClientFactory(
        MqttDeviceClientOptions? options = null,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        IMeterFactory? meterFactory = null)
    {
        _options = options ?? new MqttDeviceClientOptions();
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _metrics = MqttMetrics.Get(meterFactory);
        _mqttNetLogger = loggerFactory is null or NullLoggerFactory ? null : loggerFactory.CreateLogger("Octopus.Mqtt.MQTTnet");
        _reconnectPacer = new ReconnectPacer(_timeProvider);
    }

    /// <inheritdoc />
    /// <exception cref="MqttOptionsException">The options are not valid; every problem is listed.</exception>
    /// <exception cref="MqttTopicException">A device value cannot go into the topic (it would inject a wildcard).</exception>
    public IMqttDeviceClient Create(DeviceIdentity device, MqttOptions options, IReferenceResolver? references = null) =>
        Create(DeviceClientPlan.Create(device, options), references);

    /// <inheritdoc/>
    IMqttDeviceClient IPlannedDeviceClientFactory.Create(DeviceClientPlan plan, IReferenceResolver? references) => Create(plan, references);

    private MqttDeviceClient Create(DeviceClientPlan plan, IReferenceResolver? references)
    {
        var logger = _loggerFactory.CreateLogger("Octopus.Mqtt.DeviceClient");
        foreach (var warning in plan.Warnings)
        {
            Log.OptionsWarning(logger, plan.Device, warning.Message);
        }

        var clientId = plan.ClientId;
        var connection = new ConnectionPreparer(plan, references, logger);
        var mqttNetLogger = _mqttNetLogger is null ? null : new MqttNetLogBridge(_mqttNetLogger, clientId);
        return new MqttDeviceClient(new MqttDeviceClientSetup
        {
            Device = plan.Device,
            ClientId = clientId,
            Client = plan.Client,
            Message = plan.Message,
            Topics = new BoundDeviceTopics(plan.Topic),
            OptionsFactory = connection.PrepareAsync,
            Options = _options,
            TimeProvider = _timeProvider,
            Logger = logger,
            WireFactory = ChannelAdapterWire.Factory(mqttNetLogger),
            Telemetry = new MqttDeviceClientTelemetry(_metrics, plan.Message.Topic, _timeProvider),
            ReconnectPacer = _reconnectPacer,
            Servers = plan.Servers,
        });
    }

    /// <summary>Builds the MQTTnet options of each connection attempt, with the credentials resolved afresh.</summary>
    private sealed class ConnectionPreparer(DeviceClientPlan plan, IReferenceResolver? references, ILogger logger)
    {
        private MqttCredentials? _previous;

        public async ValueTask<MqttClientOptions> PrepareAsync(ServerAddress address, bool mqtt31Fallback, CancellationToken cancellationToken)
        {
            var clientId = plan.GetClientId(mqtt31Fallback);
            Log.ResolvingCredentials(logger, clientId);
            var credentials = await MqttCredentialsBuilder.BuildAsync(plan.Client, references, cancellationToken).ConfigureAwait(false);
            if (credentials.InsecureSkipVerify && address.UsesTls)
            {
                Log.InsecureSkipVerify(logger, clientId);
            }

            // The previous attempt's certificates belong to a connection that is over.
            var previous = Interlocked.Exchange(ref _previous, credentials);
            previous?.ClientCertificate?.Dispose();

            return plan.CreateConnectOptions(address, credentials, mqtt31Fallback);
        }
    }
}
