using Octopus.Mqtt;

namespace Thermo;

/// <summary>The adaptor's MQTT side: applies each configuration of the device's DeviceLink, publishes its status.</summary>
public sealed class TemperatureAdaptor(IMqttDeviceLinks links)
{
    private IMqttDeviceClient? _client;

    /// <summary>
    /// Applies a configuration of the DeviceLink: the first creates and connects the device's MQTT client; later ones
    /// keep it while nothing changed and replace it when something did; <see langword="null"/> options (the DeviceLink
    /// has no MQTT extension) close it.
    /// </summary>
    public async Task ConfigureAsync(DeviceIdentity device, MqttOptions? options, CancellationToken cancellationToken) =>
        _client = await links.ConfigureAsync(device, options, cancellationToken: cancellationToken);

    /// <summary>
    /// Publishes the status whole, as JSON, to the DeviceLink's topic, with its QoS and retain flag; returns
    /// <see langword="null"/> while the DeviceLink has no MQTT extension.
    /// </summary>
    public async Task<MqttPublishResult?> PublishAsync(TemperatureStatus status, CancellationToken cancellationToken) =>
        _client is { } client
            ? await client.PublishAsync(status, StatusJsonContext.Default.TemperatureStatus, cancellationToken)
            : null;

    /// <summary>Closes the device's MQTT client when its DeviceLink is deleted.</summary>
    public async Task RemoveAsync(DeviceIdentity device, CancellationToken cancellationToken)
    {
        await links.RemoveAsync(device, cancellationToken);
        _client = null;
    }
}
