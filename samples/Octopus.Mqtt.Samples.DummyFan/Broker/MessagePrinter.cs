using System.Buffers;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Formatter;

namespace Octopus.Mqtt.Samples.DummyFan;

/// <summary>
/// A plain MQTT subscriber beside the adaptor: it prints every message it receives, with its topic, QoS and retain
/// flag, as any consumer of the device's status would see it. On the embedded broker it subscribes to everything
/// (<c>#</c>); on another broker, to the device's topic only.
/// </summary>
internal sealed class MessagePrinter(
    DeviceLinkSource source,
    SampleOutput output,
    TimeProvider time,
    ILogger<MessagePrinter> logger,
    EmbeddedBroker? broker = null) : IHostedService, IDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    private IMqttClient? _client;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        FanDeviceLink link;
        try
        {
            link = source.Load();
        }
        catch (DeviceLinkException)
        {
            // The adaptor reports the DeviceLink's problems.
            return;
        }

        if (link.Mqtt is not { } mqtt)
        {
            return;
        }

        var filter = broker is null
            ? MqttTopicTemplate.Parse(mqtt.Message.Topic).Bind(link.Identity, mqtt.Message).RenderForPublish()
            : "#";
        var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            Print(e.ApplicationMessage);
            return Task.CompletedTask;
        };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ConnectTimeout);
            await client.ConnectAsync(CreateOptions(mqtt.Client), timeout.Token);

            // Retain-as-published (MQTT 5): the subscriber sees the retain flag the publisher set.
            await client.SubscribeAsync(
                new MqttClientSubscribeOptionsBuilder()
                    .WithTopicFilter(f => f.WithTopic(filter).WithAtLeastOnceQoS().WithRetainAsPublished())
                    .Build(),
                timeout.Token);
            _client = client;
            Log.PrinterSubscribed(logger, filter, mqtt.Client.Server);
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or ArgumentException or UriFormatException)
        {
            client.Dispose();
            Log.PrinterUnavailable(logger, mqtt.Client.Server, e.Message.TrimEnd('.'));
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_client is { IsConnected: true } client)
        {
            try
            {
                await client.DisconnectAsync(new MqttClientDisconnectOptions(), cancellationToken);
            }
            catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
            {
                // The broker is gone already.
            }
        }
    }

    public void Dispose() => _client?.Dispose();

    private void Print(MqttApplicationMessage message)
    {
        var payload = Encoding.UTF8.GetString(message.Payload.ToArray());
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{time.GetLocalNow():HH:mm:ss} {message.Topic} qos={(int)message.QualityOfServiceLevel} retain={(message.Retain ? "true" : "false")} {payload}"));
    }

    /// <summary>Connection options for the broker of <c>client.server</c>: TCP or WebSocket, TLS with the system's trust store, a literal username and password.</summary>
    private static MqttClientOptions CreateOptions(MqttClientSettings settings)
    {
        var uri = new Uri(settings.Server);
        var scheme = uri.Scheme.ToUpperInvariant();
        var builder = new MqttClientOptionsBuilder()
            .WithClientId($"dummy-fan-printer-{Guid.NewGuid():N}"[..23])
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanSession();
        switch (scheme)
        {
            case "TCP":
                builder.WithTcpServer(uri.Host, uri.Port > 0 ? uri.Port : 1883);
                break;
            case "SSL" or "TLS" or "TCPS":
                builder.WithTcpServer(uri.Host, uri.Port > 0 ? uri.Port : 8883).WithTlsOptions(o => o.UseTls());
                break;
            case "WS" or "WSS":
                builder.WithWebSocketServer(o => o.WithUri(settings.Server));
                if (scheme == "WSS")
                {
                    builder.WithTlsOptions(o => o.UseTls());
                }

                break;
            default:
                throw new ArgumentException($"the printer does not connect over {uri.Scheme}");
        }

        if (settings.BasicAuth is { Username: { Length: > 0 } username, Password: { Length: > 0 } password })
        {
            builder.WithCredentials(username, password);
        }

        return builder.Build();
    }
}
