using System.Text.Json;

namespace Octopus.Mqtt.Samples.DummyFan;

/// <summary>
/// Reads the fan's DeviceLink from a YAML or JSON file, as an adaptor gets it from Kubernetes: the identity and the MQTT
/// extension through the library's reader, the fan's own fields (<c>gear</c>, <c>on</c>) from <c>spec.template.spec</c>.
/// </summary>
internal static class FanDeviceLinkReader
{
    private const string SpecPath = "spec.template.spec";
    private const string ExtensionPath = "spec.template.spec.extension.mqtt";

    /// <summary>Reads and checks a DeviceLink file.</summary>
    /// <param name="file">The file: YAML or JSON, told apart by its content.</param>
    /// <param name="server">A broker address that replaces <c>client.server</c>, or <see langword="null"/> to keep the file's.</param>
    /// <returns>The DeviceLink.</returns>
    /// <exception cref="DeviceLinkException">The file cannot be read, or the DeviceLink has problems; all of them are listed.</exception>
    public static FanDeviceLink Read(string file, string? server = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        return Parse(DeviceLinkDocument.ReadAsJson(file), file, server);
    }

    /// <summary>Reads and checks a DeviceLink given as JSON text.</summary>
    /// <param name="json">The DeviceLink as JSON.</param>
    /// <param name="file">Where it came from, for messages.</param>
    /// <param name="server">A broker address that replaces <c>client.server</c>, or <see langword="null"/>.</param>
    /// <returns>The DeviceLink.</returns>
    /// <exception cref="DeviceLinkException">The DeviceLink has problems; all of them are listed.</exception>
    public static FanDeviceLink Parse(string json, string file, string? server = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        var problems = new List<string>();
        var warnings = new List<string>();
        MqttDeviceLinkReadResult? read = null;
        try
        {
            read = MqttOptionsJson.ReadDeviceLink(json);
            warnings.AddRange(read.Warnings.Select(w => w.Message));
        }
        catch (MqttOptionsException e)
        {
            problems.AddRange(e.Problems.Select(p => p.Message));
        }

        var spec = ReadSpec(json, problems);
        if (read?.Options is { } options)
        {
            if (server is not null)
            {
                options.Client.Server = server;
            }

            // Reading checks the shape; the validator checks the values (a server URI, a topic template, ranges…).
            foreach (var problem in MqttOptionsValidator.GetProblems(options))
            {
                (problem.Severity == MqttOptionsProblemSeverity.Error ? problems : warnings).Add($"{ExtensionPath}.{problem.Message}");
            }
        }

        if (problems.Count > 0)
        {
            throw new DeviceLinkException(file, problems);
        }

        return new FanDeviceLink(read!.Identity, read.Options, spec!, warnings);
    }

    private static FanSpec? ReadSpec(string json, List<string> problems)
    {
        using var document = JsonDocument.Parse(json, DeviceLinkDocument.JsonOptions);
        var spec = Child(Child(Child(document.RootElement, "spec"), "template"), "spec");
        var gear = FanGear.Slow;
        var on = false;
        string? location = null;
        if (Property(spec, "gear") is { } gearValue)
        {
            gear = gearValue.ValueKind == JsonValueKind.String
                ? ParseGear(gearValue.GetString()!, gearValue, problems)
                : Problem(problems, FanGear.Slow, $"{SpecPath}.gear: {gearValue.GetRawText()} is not a gear; allowed: slow, middle, fast");
        }

        if (Property(spec, "on") is { } onValue)
        {
            on = onValue.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => Problem(problems, false, $"{SpecPath}.on: {onValue.GetRawText()} is not a boolean; expected true or false"),
            };
        }

        if (Property(Child(spec, "protocol"), "location") is { } locationValue)
        {
            location = locationValue.ValueKind == JsonValueKind.String
                ? locationValue.GetString()
                : Problem<string?>(problems, null, $"{SpecPath}.protocol.location: {locationValue.GetRawText()} is not a string");
        }

        return new FanSpec(gear, on, location);
    }

    private static FanGear ParseGear(string text, JsonElement value, List<string> problems) => text switch
    {
        "slow" => FanGear.Slow,
        "middle" => FanGear.Middle,
        "fast" => FanGear.Fast,
        _ => Problem(problems, FanGear.Slow, $"{SpecPath}.gear: {value.GetRawText()} is not a gear; allowed: slow, middle, fast"),
    };

    private static T Problem<T>(List<string> problems, T fallback, string message)
    {
        problems.Add(message);
        return fallback;
    }

    /// <summary>Gets a property that is set (absent and <c>null</c> count as not set).</summary>
    private static JsonElement? Property(JsonElement? parent, string name) =>
        parent is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : null;

    private static JsonElement? Child(JsonElement? parent, string name) =>
        Property(parent, name) is { ValueKind: JsonValueKind.Object } child ? child : null;
}
