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
/// (<c>#</c>); on another broker, to the device's topic only. It connects as the DeviceLink says (protocol version,
/// TLS, credentials), and connects again, with a growing pause, whenever the broker goes away.
/// </summary>
internal sealed class MessagePrinter(
    DeviceLinkSource source,
    SampleOutput output,
    TimeProvider time,
    ILogger<MessagePrinter> logger,
    EmbeddedBroker? broker = null,
    IReferenceResolver? references = null) : IHostedService, IDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FirstPause = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _disconnected = new(0, 1);
    private IMqttClient? _client;
    private Task _running = Task.CompletedTask;

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
        MqttClientOptions options;
        try
        {
            options = await PrinterConnection.CreateAsync(mqtt.Client, references, cancellationToken);
        }
        catch (Exception e) when (e is ArgumentException or UriFormatException or InvalidOperationException or System.Security.Cryptography.CryptographicException)
        {
            Log.PrinterUnavailable(logger, mqtt.Client.Server, e.Message.TrimEnd('.'));
            return;
        }

        var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            Print(e.ApplicationMessage);
            return Task.CompletedTask;
        };
        client.DisconnectedAsync += e =>
        {
            if (e.ClientWasConnected && _disconnected.CurrentCount == 0)
            {
                _disconnected.Release();
            }

            return Task.CompletedTask;
        };
        _client = client;

        // The first attempt is awaited, so that the printer is subscribed before the fan publishes; later ones run behind.
        var connected = await TryConnectAsync(client, options, filter, mqtt.Client.Server, cancellationToken);
        _running = KeepConnectedAsync(client, options, filter, mqtt.Client.Server, connected, _stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _running.WaitAsync(cancellationToken);
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

    public void Dispose()
    {
        _client?.Dispose();
        _stopping.Dispose();
        _disconnected.Dispose();
    }

    private async Task KeepConnectedAsync(IMqttClient client, MqttClientOptions options, string filter, string server, bool connected, CancellationToken stopping)
    {
        var pause = FirstPause;
        try
        {
            while (true)
            {
                if (connected)
                {
                    await _disconnected.WaitAsync(stopping);
                    Log.PrinterDisconnected(logger, server);
                    pause = FirstPause;
                }

                await Task.Delay(pause, time, stopping);
                connected = await TryConnectAsync(client, options, filter, server, stopping);
                pause = connected ? FirstPause : TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    private async Task<bool> TryConnectAsync(IMqttClient client, MqttClientOptions options, string filter, string server, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ConnectTimeout);
            await client.ConnectAsync(options, timeout.Token);
            await client.SubscribeAsync(SubscribeOptions(filter, options.ProtocolVersion), timeout.Token);
            Log.PrinterSubscribed(logger, filter, server);
            return true;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested
            && e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException or System.Security.Authentication.AuthenticationException)
        {
            Log.PrinterUnavailable(logger, server, e.Message.TrimEnd('.'));
            return false;
        }
    }

    private static MqttClientSubscribeOptions SubscribeOptions(string filter, MqttProtocolVersion version) =>
        new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(f =>
            {
                f.WithTopic(filter).WithAtLeastOnceQoS();
                if (version == MqttProtocolVersion.V500)
                {
                    // Retain-as-published (MQTT 5): the subscriber sees the retain flag the publisher set.
                    f.WithRetainAsPublished();
                }
            })
            .Build();

    private void Print(MqttApplicationMessage message)
    {
        var payload = Encoding.UTF8.GetString(message.Payload.ToArray());
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{time.GetLocalNow():HH:mm:ss} {message.Topic} qos={(int)message.QualityOfServiceLevel} retain={(message.Retain ? "true" : "false")} {payload}"));
    }
}
