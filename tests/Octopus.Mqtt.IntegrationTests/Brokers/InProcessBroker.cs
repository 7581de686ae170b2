using System.Net;
using System.Net.Sockets;
using MQTTnet.Server;

namespace Octopus.Mqtt.IntegrationTests.Brokers;

/// <summary>
/// An MQTTnet broker in the test process on 127.0.0.1 (and ::1) with a port the test picks. It records every
/// CONNECT and every message clients publish, and has hooks to refuse connections and to hold back acknowledgements.
/// It can be stopped and started again on the same port.
/// </summary>
public sealed class InProcessBroker : IAsyncDisposable
{
    private const int MaxAttempts = 5;

    private readonly MqttServerFactory _factory = new();
    private MqttServer? _server;

    private InProcessBroker()
    {
    }

    /// <summary>Gets the port, the same on 127.0.0.1 and ::1.</summary>
    public int Port { get; private set; }

    /// <summary>Gets the <c>client.server</c> of the broker.</summary>
    public string Server => $"tcp://127.0.0.1:{Port}";

    /// <summary>Gets the <c>client.server</c> of the broker by its IPv6 loopback address.</summary>
    public string Ipv6Server => $"tcp://[::1]:{Port}";

    /// <summary>Gets a value indicating whether the broker is listening.</summary>
    public bool IsRunning => _server is { IsStarted: true };

    /// <summary>Gets the messages clients published (before <see cref="InterceptPublish"/> runs), with the publishing client.</summary>
    public MessageRecorder Messages { get; } = new();

    /// <summary>Gets every CONNECT received, accepted or refused.</summary>
    public ConditionRecorder<ConnectionAttempt> ConnectionAttempts { get; } = new();

    /// <summary>Gets the IDs of the clients whose connection closed, in order.</summary>
    public ConditionRecorder<string> Disconnections { get; } = new();

    /// <summary>
    /// Gets or sets a hook that decides on each CONNECT: set <see cref="ValidatingConnectionEventArgs.ReasonCode"/>
    /// (for example <c>MqttConnectReasonCode.BadUserNameOrPassword</c>) to refuse it.
    /// </summary>
    public Func<ValidatingConnectionEventArgs, Task>? ValidateConnection { get; set; }

    /// <summary>
    /// Gets or sets a hook run for each publish after it is recorded. The acknowledgement (and the client's further
    /// packets) waits until the returned task completes; see <see cref="HoldAcknowledgements"/>.
    /// </summary>
    public Func<InterceptingPublishEventArgs, Task>? InterceptPublish { get; set; }

    /// <summary>Gets the MQTTnet server of the current run (null while stopped), for anything the hooks do not cover.</summary>
    public MqttServer? MqttServer => _server;

    /// <summary>Starts a broker on a free port.</summary>
    /// <param name="configure">Sets the hooks before the first client can connect.</param>
    /// <returns>The running broker.</returns>
    public static async Task<InProcessBroker> StartAsync(Action<InProcessBroker>? configure = null)
    {
        var broker = new InProcessBroker();
        configure?.Invoke(broker);
        for (var attempt = 1; ; attempt++)
        {
            broker.Port = PortPicker.Pick();
            try
            {
                await broker.StartAsync().ConfigureAwait(false);
                return broker;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse && attempt < MaxAttempts)
            {
                await broker.StopAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Starts the broker again on the same port after <see cref="StopAsync"/>.</summary>
    /// <returns>A task that completes when the broker listens.</returns>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("the broker is running already");
        }

        var options = _factory.CreateServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.IPv6Loopback)
            .WithDefaultEndpointPort(Port)
            .WithDefaultEndpointReuseAddress()
            .Build();
        var server = _factory.CreateMqttServer(options);
        server.ValidatingConnectionAsync += OnValidatingConnectionAsync;
        server.InterceptingPublishAsync += OnInterceptingPublishAsync;
        server.ClientDisconnectedAsync += e =>
        {
            Disconnections.Add(e.ClientId);
            return Task.CompletedTask;
        };
        _server = server;
        await server.StartAsync().ConfigureAwait(false);
    }

    /// <summary>Stops the broker: every connection is closed.</summary>
    /// <returns>A task that completes when the port is released.</returns>
    public async Task StopAsync()
    {
        var server = _server;
        _server = null;
        if (server is null)
        {
            return;
        }

        try
        {
            if (server.IsStarted)
            {
                await server.StopAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            server.Dispose();
        }
    }

    /// <summary>
    /// Holds back the acknowledgement of every publish from now on (they are still recorded) until the returned gate
    /// is released or disposed; the publishing client's later packets wait behind it.
    /// </summary>
    /// <returns>The gate.</returns>
    public PublishGate HoldAcknowledgements()
    {
        var gate = new PublishGate();
        var previous = InterceptPublish;
        InterceptPublish = async e =>
        {
            await gate.WaitAsync(e.ApplicationMessage.Topic, e.CancellationToken).ConfigureAwait(false);
            if (previous is not null)
            {
                await previous(e).ConfigureAwait(false);
            }
        };
        return gate;
    }

    /// <summary>Closes a client's connection from the broker's side.</summary>
    /// <param name="clientId">The client ID.</param>
    /// <returns>A task that completes when the connection is closed.</returns>
    public Task DisconnectClientAsync(string clientId) =>
        (_server ?? throw new InvalidOperationException("the broker is stopped")).DisconnectClientAsync(clientId, new MqttServerClientDisconnectOptions());

    /// <summary>Stops the broker.</summary>
    /// <returns>A task that completes when the port is released.</returns>
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private async Task OnValidatingConnectionAsync(ValidatingConnectionEventArgs e)
    {
        ConnectionAttempts.Add(new ConnectionAttempt(
            e.ClientId,
            e.UserName,
            e.RawPassword,
            e.ProtocolVersion,
            e.KeepAlivePeriod,
            e.CleanSession));
        if (ValidateConnection is { } validate)
        {
            await validate(e).ConfigureAwait(false);
        }
    }

    private async Task OnInterceptingPublishAsync(InterceptingPublishEventArgs e)
    {
        Messages.Add(e.ApplicationMessage, e.ClientId);
        if (InterceptPublish is { } intercept)
        {
            await intercept(e).ConfigureAwait(false);
        }
    }
}
