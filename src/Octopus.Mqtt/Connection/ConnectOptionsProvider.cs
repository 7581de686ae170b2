using MQTTnet;

namespace Octopus.Mqtt;

/// <summary>
/// Builds the MQTTnet options of one connection attempt: server, transport, TLS, credentials (resolved again each
/// time, so a rotated secret takes effect), client ID, protocol version and will.
/// </summary>
/// <param name="server">The broker of this attempt: <c>client.server</c>, an entry of <c>client.servers</c>, or a Server Reference.</param>
/// <param name="mqtt31Fallback">
/// <see langword="true"/> when <c>protocolVersion</c> 0 fell back to MQTT 3.1 because the broker refused 3.1.1: the
/// options must then ask for 3.1 with the 23-character client ID.
/// </param>
/// <param name="cancellationToken">Cancels the work.</param>
/// <returns>
/// The options, complete: the engine sends them as they are (protocol version, keep-alive, connect timeout and clean
/// session included).
/// </returns>
internal delegate ValueTask<MqttClientOptions> ConnectOptionsProvider(ServerAddress server, bool mqtt31Fallback, CancellationToken cancellationToken);
