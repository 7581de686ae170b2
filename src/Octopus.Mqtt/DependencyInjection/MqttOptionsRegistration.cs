using Microsoft.Extensions.Configuration;

namespace Octopus.Mqtt;

/// <summary>A named <see cref="MqttOptions"/> instance that AddOctopusMqtt registered: read from a section (or set by a delegate when <see cref="Section"/> is null) and validated at start.</summary>
internal sealed class MqttOptionsRegistration(string name, IConfiguration? section)
{
    public string Name { get; } = name;

    public IConfiguration? Section { get; } = section;

    /// <summary>Gets the name of an options instance for logs: <c>(default)</c> for the default options.</summary>
    /// <param name="name">The options name.</param>
    /// <returns>The name to show.</returns>
    public static string DisplayName(string name) => string.IsNullOrEmpty(name) ? "(default)" : name;

    /// <summary>Gets how a problem of these options is reported: as it is for the default options, after the device name for a named device.</summary>
    /// <param name="name">The options name.</param>
    /// <param name="message">The problem.</param>
    /// <returns>The message.</returns>
    public static string Describe(string name, string message) =>
        string.IsNullOrEmpty(name) ? message : $"MQTT device \"{name}\": {message}";
}
