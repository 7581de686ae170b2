namespace Octopus.Mqtt;

/// <summary>
/// The MQTT lifecycle every Octopus adaptor runs for its DeviceLinks, in one call per configuration: keep the
/// connection when nothing relevant changed, replace it (keeping the unsent messages) when something did, close it when
/// the extension is turned off or the device goes away, and disconnect everything gracefully at shutdown.
/// </summary>
/// <remarks>
/// <para>All members are safe to call from several threads at once: calls for the same device run one after another,
/// calls for different devices run in parallel.</para>
/// <code>
/// // On every reconcile of a DeviceLink:
/// var client = await links.ConfigureAsync(device, mqttOptions, references, cancellationToken);
/// if (client is not null)
/// {
///     await client.PublishAsync(status, cancellationToken);
/// }
///
/// // When the DeviceLink is deleted:
/// await links.RemoveAsync(device, cancellationToken);
/// </code>
/// </remarks>
public interface IMqttDeviceLinks : IAsyncDisposable
{
    /// <summary>
    /// Applies a device's MQTT options and returns its client, connected or connecting.
    /// </summary>
    /// <param name="device">The DeviceLink: namespace, name and UID.</param>
    /// <param name="options">
    /// The DeviceLink's MQTT extension options, or <see langword="null"/> when the extension is off: the device's client,
    /// if any, is then disposed. The options are copied: changing the instance afterwards has no effect.
    /// </param>
    /// <param name="references">
    /// Reads the options' <c>*Ref</c> fields; the device's client uses the latest one given, also on reconnects. When
    /// <see langword="null"/>, the links made by <c>AddOctopusMqtt()</c> use the registered <see cref="IReferenceResolver"/>
    /// (e.g. <c>AddOctopusMqtt().AddDirectoryReferences(…)</c>), if any.
    /// </param>
    /// <param name="cancellationToken">Cancels waiting for another call on the same device, reading the references and the connect.</param>
    /// <returns>The device's client, or <see langword="null"/> when <paramref name="options"/> is <see langword="null"/>.</returns>
    /// <remarks>
    /// <para>
    /// When the options are equal field by field to the previous call's and every reference they use resolves to the same
    /// value, the client is kept (and connected again if it gave up). Otherwise the old client is disposed gracefully
    /// (messages get up to <c>client.disconnectQuiesce</c> to be delivered while connected, then DISCONNECT is sent, so
    /// the broker does not publish the will), and the messages it still held are carried over to the new client, which
    /// sends them first, to their original topics. Messages the old client's File store keeps stay in the store, for the
    /// next client with the same UID and store directory. Only clients of <see cref="MqttDeviceClientFactory"/> can carry
    /// messages over; with another factory they are dropped, and logged.
    /// </para>
    /// <para>
    /// If the first connection attempt fails under <see cref="MqttFirstConnectPolicy.FailFast"/> (see
    /// <see cref="MqttDeviceClientOptions.FirstConnectPolicy"/>; clients made through <c>AddOctopusMqtt()</c> retry in the
    /// background by default instead), the exception is thrown and the client is kept, with its messages: the next call with the same options connects again.
    /// </para>
    /// </remarks>
    /// <exception cref="MqttOptionsException">The options are not valid; nothing was changed.</exception>
    /// <exception cref="MqttTopicException">A device value cannot go into the topic; nothing was changed.</exception>
    /// <exception cref="MqttCredentialsException">
    /// A <c>*Ref</c> is used while no reference resolver is configured, or the resolver's store failed (a missing
    /// reference directory, say); the message names the field. Nothing was changed.
    /// </exception>
    /// <exception cref="MqttDeviceClientException">The first connection attempt failed; the client is kept.</exception>
    /// <exception cref="ObjectDisposedException">The links are disposed.</exception>
    Task<IMqttDeviceClient?> ConfigureAsync(DeviceIdentity device, MqttOptions? options, IReferenceResolver? references = null, CancellationToken cancellationToken = default);

    /// <summary>Disposes the device's client gracefully and forgets the device.</summary>
    /// <param name="device">The DeviceLink.</param>
    /// <param name="cancellationToken">Cancels waiting for another call on the same device.</param>
    /// <returns><see langword="true"/> when the device had a client.</returns>
    Task<bool> RemoveAsync(DeviceIdentity device, CancellationToken cancellationToken = default);

    /// <summary>Gets the device's current client.</summary>
    /// <param name="device">The DeviceLink.</param>
    /// <returns>The client, or <see langword="null"/> when the device has none.</returns>
    IMqttDeviceClient? GetClient(DeviceIdentity device);

    /// <summary>Gets the connection state of every device that has a client, e.g. for a health check.</summary>
    /// <returns>A snapshot, one entry per device.</returns>
    IReadOnlyList<MqttDeviceLinkStatus> GetStatus();
}
