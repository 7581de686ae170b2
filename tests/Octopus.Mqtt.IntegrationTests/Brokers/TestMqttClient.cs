using System.Text;
using MQTTnet;
using MQTTnet.Protocol;

namespace Octopus.Mqtt.IntegrationTests.Brokers;

/// <summary>Raw MQTTnet clients whose options come from <see cref="MqttClientOptionsFactory"/>, and small helpers around them.</summary>
public static class TestMqttClient
{
    /// <summary>A fresh 23-character client ID (valid for MQTT 3.1 too).</summary>
    /// <returns>The client ID.</returns>
    public static string NewClientId() => $"octopus-{Guid.NewGuid():N}"[..23];

    /// <summary>A fresh topic under <paramref name="prefix"/>.</summary>
    /// <param name="prefix">The first levels.</param>
    /// <returns>The topic.</returns>
    public static string NewTopic(string prefix = "octopus/test") => $"{prefix}/{Guid.NewGuid():N}";

    /// <summary>Every message of an exception and its inner exceptions, outermost first.</summary>
    /// <param name="exception">The exception.</param>
    /// <returns>The messages.</returns>
    public static IReadOnlyList<string> MessageChain(this Exception exception)
    {
        var messages = new List<string>();
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            messages.Add($"{e.GetType().Name}: {e.Message}");
        }

        return messages;
    }

    /// <summary>Publishes UTF-8 text.</summary>
    /// <param name="client">A connected client.</param>
    /// <param name="topic">The topic.</param>
    /// <param name="payload">The text.</param>
    /// <param name="qos">The QoS.</param>
    /// <param name="retain">The retain flag.</param>
    /// <param name="cancellationToken">Cancels the publish.</param>
    /// <returns>The publish result.</returns>
    public static Task<MqttClientPublishResult> PublishTextAsync(this IMqttClient client, string topic, string payload, MqttQos qos = MqttQos.AtLeastOnce, bool retain = false, CancellationToken cancellationToken = default) =>
        client.PublishAsync(
            new MqttApplicationMessageBuilder()
                .WithTopic(topic)
                .WithPayload(Encoding.UTF8.GetBytes(payload))
                .WithQualityOfServiceLevel((MqttQualityOfServiceLevel)qos)
                .WithRetainFlag(retain)
                .Build(),
            cancellationToken);

    /// <summary>Builds client options with <see cref="MqttClientOptionsFactory"/>.</summary>
    /// <param name="settings">The client settings.</param>
    /// <param name="credentials">The credentials; none when <see langword="null"/>.</param>
    /// <param name="will">The will.</param>
    /// <param name="protocolVersion">The protocol version.</param>
    /// <param name="clientId">The client ID; a fresh one when <see langword="null"/>.</param>
    /// <returns>The options.</returns>
    internal static MqttClientOptions Options(MqttClientSettings settings, MqttCredentials? credentials = null, LastWillMessage? will = null, int protocolVersion = 4, string? clientId = null) =>
        MqttClientOptionsFactory.Create(settings, clientId ?? NewClientId(), credentials ?? MqttCredentials.None, will, protocolVersion);

    /// <summary>Connects a new client and fails unless the broker accepts it.</summary>
    /// <param name="options">The options.</param>
    /// <param name="cancellationToken">Cancels the connect (a deadline of <see cref="TestTimeouts.Arrival"/> applies too).</param>
    /// <returns>The connected client; dispose it.</returns>
    public static async Task<IMqttClient> ConnectAsync(MqttClientOptions options, CancellationToken cancellationToken)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(TestTimeouts.Arrival);
            var result = await client.ConnectAsync(options, deadline.Token).ConfigureAwait(false);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                throw new InvalidOperationException($"the broker refused the connection: {result.ResultCode} {result.ReasonString}");
            }

            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Connects a new client to <paramref name="server"/> and fails unless the broker accepts it.</summary>
    /// <param name="server">A <c>client.server</c> value.</param>
    /// <param name="cancellationToken">Cancels the connect.</param>
    /// <returns>The connected client; dispose it.</returns>
    public static Task<IMqttClient> ConnectAsync(string server, CancellationToken cancellationToken) =>
        ConnectAsync(Options(new MqttClientSettings { Server = server }), cancellationToken);
}
