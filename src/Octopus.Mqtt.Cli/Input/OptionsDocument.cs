using System.Text;
using System.Text.Json;

namespace Octopus.Mqtt.Cli;

/// <summary>
/// Reads the JSON of a file as a DeviceLink (<c>kind: DeviceLink</c>, or a <c>spec</c> or <c>metadata</c> field) or as
/// bare MQTT options, with the library's reader, and applies the identity given on the command line.
/// </summary>
internal static class OptionsDocument
{
    private const string DeviceLinkKind = "DeviceLink";

    /// <summary>Reads the document.</summary>
    /// <param name="json">The document's JSON text.</param>
    /// <param name="flags">
    /// The identity from the command line. For bare options it is the identity (namespace <c>default</c> when not given,
    /// name and UID empty); for a DeviceLink each given value fills in or replaces the one in <c>metadata</c>.
    /// </param>
    /// <returns>The document, with every problem found while reading it.</returns>
    /// <exception cref="UnreadableDocumentException">The document is not a mapping.</exception>
    public static LoadedDocument Load(string json, IdentityFlags flags)
    {
        using var document = JsonDocument.Parse(json, DocumentFile.JsonOptions);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new UnreadableDocumentException(
                $"holds {(root.ValueKind == JsonValueKind.Array ? "a list" : "a single value")}; expected a mapping: a DeviceLink or MQTT options");
        }

        var hasKind = root.TryGetProperty("kind", out var kind);
        var isDeviceLink = (hasKind && kind.ValueKind == JsonValueKind.String && kind.GetString() == DeviceLinkKind)
            || root.TryGetProperty("spec", out _)
            || root.TryGetProperty("metadata", out _);
        if (hasKind && !(kind.ValueKind == JsonValueKind.String && kind.GetString() == DeviceLinkKind))
        {
            var shown = kind.ValueKind == JsonValueKind.String ? $"\"{kind.GetString()}\"" : kind.GetRawText();
            return Failed(isDeviceLink, MqttOptionsProblemSeverity.Error, "kind",
                $"kind: {shown} is not {DeviceLinkKind}; expected a DeviceLink, or bare MQTT options with the fields client and message");
        }

        return isDeviceLink ? LoadDeviceLink(root, json, flags) : LoadOptions(json, flags);
    }

    private static LoadedDocument LoadDeviceLink(JsonElement root, string json, IdentityFlags flags)
    {
        try
        {
            var read = MqttOptionsJson.ReadDeviceLink(flags.Any ? WithIdentity(root, flags) : json);
            if (read.Options is null)
            {
                var notSet = new MqttOptionsProblem(MqttOptionsProblemSeverity.Error, LoadedDocument.ExtensionPath,
                    $"{LoadedDocument.ExtensionPath}: is not set; this DeviceLink does not use MQTT");
                return new LoadedDocument { IsDeviceLink = true, Identity = read.Identity, Options = null, Problems = [notSet, .. read.Warnings] };
            }

            return new LoadedDocument { IsDeviceLink = true, Identity = read.Identity, Options = read.Options, Problems = read.Warnings };
        }
        catch (MqttOptionsException e)
        {
            return new LoadedDocument { IsDeviceLink = true, Identity = null, Options = null, Problems = [.. e.Problems, .. e.Warnings] };
        }
    }

    private static LoadedDocument LoadOptions(string json, IdentityFlags flags)
    {
        var identity = new DeviceIdentity(
            string.IsNullOrEmpty(flags.Namespace) ? "default" : flags.Namespace,
            flags.Name ?? string.Empty,
            flags.Uid ?? string.Empty);
        try
        {
            var read = MqttOptionsJson.Read(json);
            return new LoadedDocument { IsDeviceLink = false, Identity = identity, Options = read.Options, Problems = read.Warnings };
        }
        catch (MqttOptionsException e)
        {
            return new LoadedDocument { IsDeviceLink = false, Identity = identity, Options = null, Problems = [.. e.Problems, .. e.Warnings] };
        }
    }

    private static LoadedDocument Failed(bool isDeviceLink, MqttOptionsProblemSeverity severity, string path, string message, DeviceIdentity? identity = null) =>
        new() { IsDeviceLink = isDeviceLink, Identity = identity, Options = null, Problems = [new MqttOptionsProblem(severity, path, message)] };

    /// <summary>Copies the DeviceLink with the given identity values in its <c>metadata</c>; every other field, repeated ones too, stays as it is.</summary>
    private static string WithIdentity(JsonElement root, IdentityFlags flags)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            var hasMetadata = false;
            foreach (var property in root.EnumerateObject())
            {
                if (property.NameEquals("metadata") && !hasMetadata && property.Value.ValueKind == JsonValueKind.Object)
                {
                    hasMetadata = true;
                    writer.WritePropertyName(property.Name);
                    WriteMetadata(writer, property.Value, flags);
                    continue;
                }

                hasMetadata |= property.NameEquals("metadata");
                property.WriteTo(writer);
            }

            if (!hasMetadata)
            {
                writer.WritePropertyName("metadata");
                WriteMetadata(writer, null, flags);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteMetadata(Utf8JsonWriter writer, JsonElement? metadata, IdentityFlags flags)
    {
        writer.WriteStartObject();
        IEnumerable<JsonProperty> existing = metadata is { } fields ? fields.EnumerateObject() : [];
        foreach (var property in existing)
        {
            var replaced = (property.NameEquals("namespace") && flags.Namespace is not null)
                || (property.NameEquals("name") && flags.Name is not null)
                || (property.NameEquals("uid") && flags.Uid is not null);
            if (!replaced)
            {
                property.WriteTo(writer);
            }
        }

        WriteIfSet(writer, "namespace", flags.Namespace);
        WriteIfSet(writer, "name", flags.Name);
        WriteIfSet(writer, "uid", flags.Uid);
        writer.WriteEndObject();
    }

    private static void WriteIfSet(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
