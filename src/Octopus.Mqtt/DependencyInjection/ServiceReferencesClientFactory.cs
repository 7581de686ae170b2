namespace Octopus.Mqtt;

/// <summary>
/// The <see cref="IMqttDeviceClientFactory"/> <c>AddOctopusMqtt()</c> registers: a <see cref="MqttDeviceClientFactory"/>
/// whose <c>Create</c> without references reads them through the registered <see cref="IReferenceResolver"/>.
/// </summary>
internal sealed class ServiceReferencesClientFactory(MqttDeviceClientFactory inner, IReferenceResolver? defaultReferences) : IMqttDeviceClientFactory
{
    /// <summary>Gets the factory that creates the clients.</summary>
    public MqttDeviceClientFactory Inner { get; } = inner;

    /// <summary>Gets the resolver used when <see cref="Create"/> is given none.</summary>
    public IReferenceResolver? DefaultReferences { get; } = defaultReferences;

    public IMqttDeviceClient Create(DeviceIdentity device, MqttOptions options, IReferenceResolver? references = null) =>
        Inner.Create(device, options, references ?? DefaultReferences);
}
