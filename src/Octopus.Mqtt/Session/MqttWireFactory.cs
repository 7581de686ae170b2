using MQTTnet;

namespace Octopus.Mqtt;

/// <summary>Creates the wire of one connection attempt from the attempt's MQTTnet options (transport, TLS, protocol version).</summary>
/// <param name="options">The options; <see cref="MqttClientOptions.ProtocolVersion"/> selects the packet codec.</param>
/// <returns>A wire, not open yet.</returns>
internal delegate IMqttWire MqttWireFactory(MqttClientOptions options);
