// Publishes QoS 1 messages with the File store (the broker down or up), reporting each accepted one on stdout,
// then waits to be killed: the integration tests SIGKILL it and check that the next client with the same UID
// delivers every message it reported.
//
// Usage: Octopus.Mqtt.CrashChild <server> <topic> <uid> <store directoryPrefix> <count> [qos2-halves]
// Output: "queued <i>" or "delivered <i>" for each accepted publish (any other outcome: "<outcome> <i>"), then "done".
//
// Mode qos2-halves: QoS 2 with cleanSession false; publishes <count> messages at once without awaiting their outcome
// (printing "accepted <i>" once each is in the store), prints "half", waits for a line on stdin, publishes <count>
// more the same way, prints "done" and waits to be killed mid-handshake (the broker holds its acknowledgements).
using System.Globalization;
using System.Text;
using Octopus.Mqtt;

if (args.Length is not 5 and not 6 || (args.Length == 6 && args[5] != "qos2-halves"))
{
    await Console.Error.WriteLineAsync("usage: Octopus.Mqtt.CrashChild <server> <topic> <uid> <store directoryPrefix> <count> [qos2-halves]");
    return 2;
}

var count = int.Parse(args[4], CultureInfo.InvariantCulture);
var halves = args.Length == 6;
var options = new MqttOptions();
options.Client.Server = args[0];
options.Client.Store = new MqttStoreSettings { Type = MqttStoreType.File, DirectoryPrefix = args[3] };
options.Client.MessageChannelDepth = halves ? 2 * count : count;
options.Client.CleanSession = !halves;
options.Client.Order = !halves;
options.Message.Topic = args[1];
options.Message.Qos = halves ? MqttQos.ExactlyOnce : MqttQos.AtLeastOnce;
options.Message.Retained = false;

var factory = new MqttDeviceClientFactory(new MqttDeviceClientOptions { FirstConnectPolicy = MqttFirstConnectPolicy.RetryInBackground });
var client = factory.Create(new DeviceIdentity("default", "crash", args[2]), options);
await client.ConnectAsync();

if (halves)
{
    var pending = new List<Task<MqttPublishResult>>();
    for (var half = 0; half < 2; half++)
    {
        for (var i = half * count; i < (half + 1) * count; i++)
        {
            // Stored before the call returns its task: the outcome waits for acknowledgements the broker holds.
            pending.Add(client.PublishAsync(Encoding.UTF8.GetBytes("m" + i.ToString(CultureInfo.InvariantCulture))).AsTask());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"accepted {i}"));
        }

        Console.WriteLine(half == 0 ? "half" : "done");
        if (half == 0)
        {
            await Console.In.ReadLineAsync();
        }
    }

    await Console.In.ReadLineAsync();
    GC.KeepAlive(pending);
    return 0;
}

for (var i = 0; i < count; i++)
{
    var result = await client.PublishAsync(Encoding.UTF8.GetBytes("m" + i.ToString(CultureInfo.InvariantCulture)));
    var outcome = result.Status switch
    {
        MqttPublishStatus.Queued => "queued",
        MqttPublishStatus.Delivered => "delivered",
        _ => result.ToString(),
    };
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{outcome} {i}"));
}

Console.WriteLine("done");

// Never disposed: the test kills the process.
await Console.In.ReadLineAsync();
return 0;
