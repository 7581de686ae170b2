// A consumer of the packed Octopus.Mqtt package: compiled by .ci/package-check against the .nupkg.
using Octopus.Mqtt;

var options = new MqttOptions();
options.Client.Server = "tcp://127.0.0.1:1883";
options.Message.Topic = "cattle.io/octopus/:namespace/:name";
var device = new DeviceIdentity("default", "living-room-fan", "9e8efcb0-4b79-45e7-a4c4-3349562292e3");
Console.WriteLine($"{device.Name}: keepAlive {options.Client.KeepAlive}, qos {(int)options.Message.Qos}");
