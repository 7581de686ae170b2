namespace Octopus.Mqtt.Cli;

/// <summary>What the library will use for a device: its client ID, its topics rendered with one render map, and its message defaults.</summary>
internal sealed class RenderReport
{
    public required DeviceIdentity Device { get; init; }

    public required string Template { get; init; }

    /// <summary>Gets the client ID the device connects with: the MQTT 3.1 form for protocol version 3, otherwise the full form.</summary>
    public required string ClientId { get; init; }

    /// <summary>Gets the 23-character client ID used when protocol version 0 falls back to MQTT 3.1; <see langword="null"/> for other versions.</summary>
    public required string? FallbackClientId { get; init; }

    public required string? PublishTopic { get; init; }

    public required string? PublishError { get; init; }

    public required string? SubscribeTopic { get; init; }

    public required string? SubscribeError { get; init; }

    public required string? WillTopic { get; init; }

    public required int Qos { get; init; }

    public required bool Retained { get; init; }

    /// <summary>Gets <c>message.expiry</c> (this library's addition), or <see langword="null"/> when messages do not expire.</summary>
    public string? Expiry { get; init; }

    /// <summary>Gets <c>message.coalesceRetained</c> (this library's addition).</summary>
    public bool CoalesceRetained { get; init; }

    public required int ProtocolVersion { get; init; }

    /// <summary>Gets the server URI with any user information hidden.</summary>
    public required string Server { get; init; }

    /// <summary>Gets every server a connection tries, in order (<c>client.server</c>, then <c>client.servers</c>), user information hidden; <see langword="null"/> when <c>client.server</c> is the only one.</summary>
    public required IReadOnlyList<string>? Servers { get; init; }

    public required IReadOnlyDictionary<string, string> RenderMap { get; init; }

    public static RenderReport Create(MqttOptions options, MqttDeviceTopic topic, IReadOnlyDictionary<string, string> renderMap)
    {
        var (publish, publishError) = Render(() => topic.RenderForPublish(renderMap));
        var (subscribe, subscribeError) = Render(() => topic.RenderForSubscribe(renderMap));
        var version = options.Client.ProtocolVersion;
        return new RenderReport
        {
            Device = topic.Device,
            Template = topic.Template.Template,
            ClientId = version == 3 ? topic.ClientIdForMqtt31 : topic.ClientId,
            FallbackClientId = version == 0 ? topic.ClientIdForMqtt31 : null,
            PublishTopic = publish,
            PublishError = publishError,
            SubscribeTopic = subscribe,
            SubscribeError = subscribeError,
            WillTopic = topic.WillTopic,
            Qos = (int)options.Message.Qos,
            Retained = options.Message.Retained,
            Expiry = options.Message.Expiry == GoDuration.Zero ? null : options.Message.Expiry.ToString(),
            CoalesceRetained = options.Message.CoalesceRetained,
            ProtocolVersion = version,
            Server = ServerRedaction.Redact(options.Client.Server),
            Servers = ServerList(options.Client),
            RenderMap = renderMap,
        };
    }

    private static string[]? ServerList(MqttClientSettings client)
    {
        var servers = new List<string> { client.Server };
        foreach (var server in client.Servers ?? [])
        {
            if (!servers.Contains(server, StringComparer.Ordinal))
            {
                servers.Add(server);
            }
        }

        return servers.Count == 1 ? null : [.. servers.Select(ServerRedaction.Redact)];
    }

    private static (string? Topic, string? Error) Render(Func<string> render)
    {
        try
        {
            return (render(), null);
        }
        catch (MqttTopicException e)
        {
            return (null, e.Message);
        }
    }
}
