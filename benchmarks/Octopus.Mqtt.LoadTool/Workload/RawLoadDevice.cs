using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Octopus.Mqtt.LoadTool.Workload;

/// <summary>
/// The same device done by hand on a bare MQTTnet 5 client: serialise the status with the same source-generated
/// metadata, build an <see cref="MqttApplicationMessage"/>, <see cref="IMqttClient.PublishAsync"/> it. No queue, no
/// reconnect, no resend: the floor the library is measured against.
/// </summary>
internal sealed class RawLoadDevice : ILoadDevice
{
    private static readonly MqttClientFactory Factory = new();

    private readonly IMqttClient _client = Factory.CreateMqttClient();
    private readonly MqttClientOptions _options;
    private readonly string _topic;
    private readonly MqttQualityOfServiceLevel _qos;
    private readonly bool _retain;

    public RawLoadDevice(Uri server, CaseSpec spec, int caseId, int device)
    {
        _topic = spec.TopicRoot + "/" + LibraryLoadDevice.DeviceName(caseId, device);
        _qos = (MqttQualityOfServiceLevel)spec.Qos;
        _retain = spec.Retain;
        _options = Factory.CreateClientOptionsBuilder()
            .WithTcpServer(server.Host, server.Port)
            .WithClientId("raw-" + Guid.NewGuid().ToString("N"))
            .WithProtocolVersion(MqttProtocolVersion.V311)
            .WithCleanSession()
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
            .Build();
    }

    public Task ConnectAsync() => _client.ConnectAsync(_options);

    public async Task RunLaneAsync(LaneContext context)
    {
        var status = new StatusMessage { Case = context.CaseId, Device = context.Device };
        var typeInfo = LoadJsonContext.Default.StatusMessage;
        while (context.TryTake(out var seq))
        {
            await context.WaitTurnAsync(seq);
            status.Seq = seq;
            status.RotatingSpeed = seq % 300;
            var start = Stopwatch.GetTimestamp();
            status.SentAt = start;
            var message = new MqttApplicationMessage
            {
                Topic = _topic,
                Payload = new ReadOnlySequence<byte>(JsonSerializer.SerializeToUtf8Bytes(status, typeInfo)),
                QualityOfServiceLevel = _qos,
                Retain = _retain,
            };
            try
            {
                var result = await _client.PublishAsync(message, CancellationToken.None);
                if (!result.IsSuccess)
                {
                    context.Fail();
                }
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                context.Fail();
            }

            context.Latencies[seq] = Stopwatch.GetTimestamp() - start;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
    }
}
