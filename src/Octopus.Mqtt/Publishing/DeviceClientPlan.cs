using MQTTnet;

namespace Octopus.Mqtt;

/// <summary>
/// A device's options checked and bound, once: every problem of the options found (the errors thrown together), the
/// topic template bound to the device, the server address parsed, the will and the client ID made. The real factory,
/// the fake and <see cref="MqttDeviceLinkManager"/> all start from one, so the options are validated and converted in
/// one place, and each connection attempt turns the plan (with fresh credentials) into MQTTnet's options.
/// </summary>
internal sealed class DeviceClientPlan
{
    private DeviceClientPlan(DeviceIdentity device, MqttOptions options, MqttDeviceTopic topic, IReadOnlyList<MqttOptionsProblem> warnings)
    {
        Device = device;
        Options = options;
        Topic = topic;
        Warnings = warnings;
        Servers = ServerList.Parse(options.Client);
        Will = options.Message.Will is { } will && topic.WillTopic is { } willTopic
            ? new LastWillMessage(willTopic, will.Content, will.Qos, will.Retained)
            : null;
    }

    /// <summary>Gets the DeviceLink the client speaks for.</summary>
    public DeviceIdentity Device { get; }

    /// <summary>Gets the options the plan was made from.</summary>
    public MqttOptions Options { get; }

    /// <summary>Gets the <c>client</c> options.</summary>
    public MqttClientSettings Client => Options.Client;

    /// <summary>Gets the <c>message</c> options.</summary>
    public MqttMessageSettings Message => Options.Message;

    /// <summary>Gets the topic template bound to the device.</summary>
    public MqttDeviceTopic Topic { get; }

    /// <summary>Gets the servers to try in turn: <c>client.server</c> first, then <c>client.servers</c>.</summary>
    public IReadOnlyList<ServerAddress> Servers { get; }

    /// <summary>Gets the parsed <c>client.server</c>.</summary>
    public ServerAddress Address => Servers[0];

    /// <summary>Gets the last will, or <see langword="null"/> when none is configured.</summary>
    public LastWillMessage? Will { get; }

    /// <summary>Gets the warnings the options raised (logged by the factory that makes the client).</summary>
    public IReadOnlyList<MqttOptionsProblem> Warnings { get; }

    /// <summary>Gets the client ID of the first attempt: the 23-character MQTT 3.1 form when <c>client.protocolVersion</c> is 3.</summary>
    public string ClientId => GetClientId(mqtt31Fallback: false);

    /// <summary>Checks and binds the options of a device.</summary>
    /// <param name="device">The DeviceLink.</param>
    /// <param name="options">Its MQTT options.</param>
    /// <returns>The plan.</returns>
    /// <exception cref="MqttOptionsException">The options are not valid; every problem is listed.</exception>
    /// <exception cref="MqttTopicException">A device value cannot go into the topic (it would inject a wildcard).</exception>
    public static DeviceClientPlan Create(DeviceIdentity device, MqttOptions options)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(options);
        var problems = MqttOptionsValidator.GetProblems(options);
        var warnings = problems.Where(p => p.Severity == MqttOptionsProblemSeverity.Warning).ToArray();
        if (problems.Count > warnings.Length)
        {
            throw new MqttOptionsException([.. problems.Where(p => p.Severity == MqttOptionsProblemSeverity.Error)], warnings);
        }

        var topic = MqttTopicTemplate.Parse(options.Message.Topic).Bind(device, options.Message);
        return new DeviceClientPlan(device, options, topic, warnings);
    }

    /// <summary>Gets the client ID of an attempt: the 23-character MQTT 3.1 form for version 3, or after falling back to 3.1.</summary>
    /// <param name="mqtt31Fallback">Whether protocol version 0 fell back to MQTT 3.1.</param>
    /// <returns>The client ID.</returns>
    public string GetClientId(bool mqtt31Fallback) =>
        mqtt31Fallback || Client.ProtocolVersion == 3 ? Topic.ClientIdForMqtt31 : Topic.ClientId;

    /// <summary>Builds one connection attempt's MQTTnet options: the only place the options become MQTTnet's.</summary>
    /// <param name="server">The broker of the attempt: one of <see cref="Servers"/>, or a Server Reference.</param>
    /// <param name="credentials">The credentials resolved for the attempt.</param>
    /// <param name="mqtt31Fallback">Whether protocol version 0 fell back to MQTT 3.1.</param>
    /// <returns>The options.</returns>
    public MqttClientOptions CreateConnectOptions(ServerAddress server, MqttCredentials credentials, bool mqtt31Fallback) =>
        MqttClientOptionsFactory.Create(Client, server, GetClientId(mqtt31Fallback), ServerList.ForServer(credentials, Address, server), Will, mqtt31Fallback ? 3 : Client.ProtocolVersion);
}
