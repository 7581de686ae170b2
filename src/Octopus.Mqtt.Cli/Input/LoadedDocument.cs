namespace Octopus.Mqtt.Cli;

/// <summary>What a file says for MQTT: whether it is a DeviceLink, the device's identity, the options and what went wrong reading them.</summary>
internal sealed class LoadedDocument
{
    /// <summary>The path of the MQTT options inside a DeviceLink.</summary>
    public const string ExtensionPath = "spec.template.spec.extension.mqtt";

    public required bool IsDeviceLink { get; init; }

    /// <summary>Gets the identity; <see langword="null"/> when the DeviceLink's metadata cannot be read.</summary>
    public required DeviceIdentity? Identity { get; init; }

    /// <summary>Gets the options as read (not validated); <see langword="null"/> when they cannot be read.</summary>
    public required MqttOptions? Options { get; init; }

    /// <summary>Gets the problems found while reading: errors (then <see cref="Options"/> is <see langword="null"/>) and warnings.</summary>
    public required IReadOnlyList<MqttOptionsProblem> Problems { get; init; }

    /// <summary>Gets whether the identity is the device's own: a DeviceLink's metadata, or a name and a UID given for bare options.</summary>
    public bool HasFullIdentity => Identity is { Name.Length: > 0, Uid.Length: > 0 };

    /// <summary>Gets the prefix of option paths in this document: <see cref="ExtensionPath"/> for a DeviceLink, empty for bare options.</summary>
    public string PathPrefix => IsDeviceLink ? ExtensionPath : string.Empty;
}
