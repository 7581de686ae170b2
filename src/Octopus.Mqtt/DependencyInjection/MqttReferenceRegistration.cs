namespace Octopus.Mqtt;

/// <summary>A reference resolver added through <see cref="OctopusMqttBuilder"/>: for one named device, or for all (empty name).</summary>
internal sealed class MqttReferenceRegistration(string name, Func<IServiceProvider, IReferenceResolver> factory)
{
    public string Name { get; } = name;

    public Func<IServiceProvider, IReferenceResolver> Factory { get; } = factory;
}
