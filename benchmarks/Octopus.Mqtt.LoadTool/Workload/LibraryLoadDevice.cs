using System.Diagnostics;

namespace Octopus.Mqtt.LoadTool.Workload;

/// <summary>A device published through the library: <see cref="MqttDeviceClientFactory"/>, one client per device.</summary>
internal sealed class LibraryLoadDevice(IMqttDeviceClient client) : ILoadDevice
{
    public static LibraryLoadDevice Create(MqttDeviceClientFactory factory, Uri server, CaseSpec spec, int caseId, int device)
    {
        var options = new MqttOptions
        {
            Client = new MqttClientSettings
            {
                Server = server.ToString(),
                Order = spec.Order,
                MessageChannelDepth = Math.Max(100, spec.Lanes * 2),
            },
            Message = new MqttMessageSettings
            {
                Topic = spec.TopicRoot + "/:name", // :name is the case and device, as in the raw clients' topics
                Qos = (MqttQos)spec.Qos,
                Retained = spec.Retain,
            },
        };
        var identity = new DeviceIdentity("load", DeviceName(caseId, device), Guid.NewGuid().ToString());
        return new LibraryLoadDevice(factory.Create(identity, options));
    }

    public static string DeviceName(int caseId, int device) => $"c{caseId}-d{device}";

    public Task ConnectAsync() => client.ConnectAsync();

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
            var result = await client.PublishAsync(status, typeInfo, null, CancellationToken.None);
            context.Latencies[seq] = Stopwatch.GetTimestamp() - start;
            if (!result.IsDelivered)
            {
                context.Fail();
            }
        }
    }

    public ValueTask DisposeAsync() => client.DisposeAsync();
}
