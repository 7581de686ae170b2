namespace Octopus.Mqtt;

/// <summary>MQTT options read from JSON or configuration, with the warnings found on the way.</summary>
public sealed class MqttOptionsReadResult
{
    internal MqttOptionsReadResult(MqttOptions options, IReadOnlyList<MqttOptionsProblem> warnings)
    {
        Options = options;
        Warnings = warnings;
    }

    /// <summary>Gets the options. They are read, not validated: see <see cref="MqttOptionsValidator"/>.</summary>
    public MqttOptions Options { get; }

    /// <summary>Gets the warnings, e.g. one for each of the documentation's misspellings read as an alias.</summary>
    public IReadOnlyList<MqttOptionsProblem> Warnings { get; }
}
