namespace Octopus.Mqtt.IntegrationTests.Brokers;

/// <summary>The HTTP request that opened a WebSocket to a <see cref="WebSocketBroker"/>.</summary>
/// <param name="Path">The request path and query.</param>
/// <param name="IsHttps">Whether it came over TLS.</param>
/// <param name="Headers">The request headers (case-insensitive names; repeated headers joined with a comma).</param>
public sealed record WebSocketHandshake(string Path, bool IsHttps, IReadOnlyDictionary<string, string> Headers);
