using MQTTnet;
using MQTTnet.Protocol;

namespace Octopus.Mqtt.IntegrationTests.Brokers;

/// <summary>
/// A plain MQTTnet client in the test process that subscribes to topic filters on any broker and records what it
/// receives. Its connection options come from <see cref="MqttClientOptionsFactory"/>, so it reaches every transport.
/// </summary>
public sealed class MqttTestSubscriber : IAsyncDisposable
{
    private readonly IMqttClient _client;

    private MqttTestSubscriber(IMqttClient client)
    {
        _client = client;
        _client.ApplicationMessageReceivedAsync += e =>
        {
            Messages.Add(e.ApplicationMessage);
            return Task.CompletedTask;
        };
    }

    /// <summary>Gets the messages received, in order.</summary>
    public MessageRecorder Messages { get; } = new();

    /// <summary>Gets the MQTTnet client.</summary>
    public IMqttClient Client => _client;

    /// <summary>Connects to <paramref name="server"/> and subscribes to <paramref name="topicFilters"/> with QoS 1.</summary>
    /// <param name="server">A <c>client.server</c> value.</param>
    /// <param name="topicFilters">The topic filters.</param>
    /// <returns>The subscribed subscriber.</returns>
    public static Task<MqttTestSubscriber> ConnectAsync(string server, params string[] topicFilters) =>
        ConnectAsync(new MqttClientSettings { Server = server }, MqttCredentials.None, MqttQos.AtLeastOnce, topicFilters);

    /// <summary>Connects with full settings and credentials and subscribes to <paramref name="topicFilters"/>.</summary>
    /// <param name="settings">The client settings (server, timeouts, headers).</param>
    /// <param name="credentials">The username, password and TLS material.</param>
    /// <param name="qos">The subscription QoS.</param>
    /// <param name="topicFilters">The topic filters.</param>
    /// <returns>The subscribed subscriber.</returns>
    internal static async Task<MqttTestSubscriber> ConnectAsync(MqttClientSettings settings, MqttCredentials credentials, MqttQos qos, params string[] topicFilters)
    {
        var clientId = $"test-subscriber-{Guid.NewGuid():N}"[..23];
        var options = MqttClientOptionsFactory.Create(settings, clientId, credentials, null, 4);
        var subscriber = new MqttTestSubscriber(new MqttClientFactory().CreateMqttClient());
        try
        {
            using var deadline = new CancellationTokenSource(TestTimeouts.Arrival);
            var connected = await subscriber._client.ConnectAsync(options, deadline.Token).ConfigureAwait(false);
            if (connected.ResultCode != MqttClientConnectResultCode.Success)
            {
                throw new InvalidOperationException($"the subscriber could not connect to {settings.Server}: {connected.ResultCode} {connected.ReasonString}");
            }

            if (topicFilters.Length > 0)
            {
                var subscribe = new MqttClientSubscribeOptionsBuilder();
                foreach (var filter in topicFilters)
                {
                    subscribe.WithTopicFilter(filter, (MqttQualityOfServiceLevel)qos);
                }

                await subscriber._client.SubscribeAsync(subscribe.Build(), deadline.Token).ConfigureAwait(false);
            }

            return subscriber;
        }
        catch
        {
            await subscriber.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Disconnects gracefully (if still connected) and disposes the client.</summary>
    /// <returns>A task that completes when the client is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_client.IsConnected)
            {
                using var deadline = new CancellationTokenSource(TestTimeouts.Arrival);
                await _client.DisconnectAsync(new MqttClientDisconnectOptions(), deadline.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
        {
            // The broker may be gone already; the client is disposed anyway.
        }
        finally
        {
            _client.Dispose();
        }
    }
}
