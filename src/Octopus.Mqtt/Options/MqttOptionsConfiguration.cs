using Microsoft.Extensions.Configuration;

namespace Octopus.Mqtt;

/// <summary>
/// Reads MQTT options from a configuration section shaped like their JSON (e.g. a section of appsettings.json),
/// with the same names, aliases, checks and results as <see cref="MqttOptionsJson"/>.
/// </summary>
/// <remarks>
/// Configuration keys match in any case. Values are strings read by the field's kind: booleans in any case, durations
/// as Go durations (<c>30s</c>) or <see cref="TimeSpan"/> strings (<c>00:00:30</c>), <c>store.type</c> in any case,
/// <c>will.content</c> as base64 (standard or URL-safe, padded or not). An <c>httpHeaders</c> entry is a list
/// (<c>X-Key:0</c>, <c>X-Key:1</c>) or one value. No reflection is used.
/// </remarks>
public static class MqttOptionsConfiguration
{
    /// <summary>Reads options from a configuration section; absent fields keep their defaults.</summary>
    /// <param name="section">The section holding <c>client</c> and <c>message</c>.</param>
    /// <returns>The options and the warnings found.</returns>
    /// <exception cref="MqttOptionsException">The section has unknown keys or values that cannot be read; every problem is listed.</exception>
    public static MqttOptionsReadResult Read(IConfiguration section)
    {
        var options = new MqttOptions();
        var warnings = Bind(section, options);
        return new MqttOptionsReadResult(options, warnings);
    }

    /// <summary>
    /// Sets on <paramref name="target"/> the fields the section holds, and only those, as a configuration binder does:
    /// sections already there are filled in, not replaced. Nothing is set when the section has a problem.
    /// </summary>
    /// <param name="section">The section holding <c>client</c> and <c>message</c>.</param>
    /// <param name="target">The options to fill in.</param>
    /// <returns>The warnings found, e.g. one for each of the documentation's misspellings read as an alias.</returns>
    /// <exception cref="MqttOptionsException">The section has unknown keys or values that cannot be read; every problem is listed.</exception>
    public static IReadOnlyList<MqttOptionsProblem> Bind(IConfiguration section, MqttOptions target)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(target);
        var reader = new MqttOptionsReader(fromConfiguration: true);
        var json = reader.ReadOptions(OptionsSourceNode.FromConfiguration(section), string.Empty);
        if (reader.Errors.Count > 0)
        {
            throw new MqttOptionsException(reader.Errors, reader.Warnings);
        }

        MqttOptionsSerializer.Populate(json, target);
        return reader.Warnings;
    }
}
