namespace Octopus.Mqtt;

/// <summary>The <c>client.store</c> section: where unacknowledged messages are kept.</summary>
public sealed class MqttStoreSettings
{
    /// <summary>The default directory prefix of the File store.</summary>
    public const string DefaultDirectoryPrefix = "/var/run/octopus/mqtt";

    /// <summary>Gets or sets the type of store, <c>Memory</c> or <c>File</c> (any case).</summary>
    /// <value>The default value is <see cref="MqttStoreType.Memory"/>.</value>
    public MqttStoreType Type { get; set; } = MqttStoreType.Memory;

    /// <summary>Gets or sets the directory under which the File store keeps one folder per DeviceLink UID.</summary>
    /// <value>The default value is <c>/var/run/octopus/mqtt</c>.</value>
    public string DirectoryPrefix { get; set; } = DefaultDirectoryPrefix;
}
