using MQTTnet.Formatter;

namespace Octopus.Mqtt.IntegrationTests.Brokers;

/// <summary>A CONNECT an <see cref="InProcessBroker"/> received, whether it accepted it or not.</summary>
/// <param name="ClientId">The client ID.</param>
/// <param name="UserName">The username, or <see langword="null"/>.</param>
/// <param name="Password">The password bytes, or <see langword="null"/>.</param>
/// <param name="ProtocolVersion">The protocol version.</param>
/// <param name="KeepAliveSeconds">The keep-alive in seconds.</param>
/// <param name="CleanSession">The clean session (clean start) flag.</param>
public sealed record ConnectionAttempt(
    string ClientId,
    string? UserName,
    byte[]? Password,
    MqttProtocolVersion ProtocolVersion,
    int? KeepAliveSeconds,
    bool? CleanSession);
