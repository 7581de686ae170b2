// Publishes QoS 1 messages with the File store (the broker down or up), reporting each accepted one on stdout,
// then waits to be killed: the integration tests SIGKILL it and check that the next client with the same UID
// delivers every message it reported.
//
// Usage: Octopus.Mqtt.CrashChild <server> <topic> <uid> <store directoryPrefix> <count>
// Output: "queued <i>" or "delivered <i>" for each accepted publish (any other outcome: "<outcome> <i>"), then "done".
using System.Globalization;
using System.Text;
using Octopus.Mqtt;

if (args.Length != 5)
{
    await Console.Error.WriteLineAsync("usage: Octopus.Mqtt.CrashChild <server> <topic> <uid> <store directoryPrefix> <count>");
    return 2;
}

var count = int.Parse(args[4], CultureInfo.InvariantCulture);
var options = new MqttOptions();
options.Client.Server = args[0];
options.Client.Store = new MqttStoreSettings { Type = MqttStoreType.File, DirectoryPrefix = args[3] };
options.Client.MessageChannelDepth = count;
options.Message.Topic = args[1];
options.Message.Qos = MqttQos.AtLeastOnce;
options.Message.Retained = false;

var factory = new MqttDeviceClientFactory(new MqttDeviceClientOptions { FirstConnectPolicy = MqttFirstConnectPolicy.RetryInBackground });
var client = factory.Create(new DeviceIdentity("default", "crash", args[2]), options);
await client.ConnectAsync();

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
