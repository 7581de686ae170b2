namespace Octopus.Mqtt;

/// <summary>
/// A factory of ours that takes options checked already: <see cref="MqttDeviceLinkManager"/> checks a device's options
/// before its current client changes, and hands the plan on rather than having the factory check them again.
/// </summary>
internal interface IPlannedDeviceClientFactory
{
    /// <summary>Creates the client of a plan; it is not connected yet.</summary>
    /// <param name="plan">The device's checked and bound options.</param>
    /// <param name="references">Reads the <c>*Ref</c> fields' references, or <see langword="null"/>.</param>
    /// <returns>The client.</returns>
    IMqttDeviceClient Create(DeviceClientPlan plan, IReferenceResolver? references);
}
