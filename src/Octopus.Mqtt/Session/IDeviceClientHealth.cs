namespace Octopus.Mqtt;

/// <summary>A client that can say why it is unhealthy even while connected (for the device links' status and the health check).</summary>
internal interface IDeviceClientHealth
{
    /// <summary>Gets what is wrong now, e.g. the File store's last write failed, or <see langword="null"/>.</summary>
    string? Problem { get; }
}
