using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Octopus.Mqtt.Samples.DummyFan;

/// <summary>
/// Turns a DeviceLink file into JSON, the form the library reads: JSON as it is, YAML (told apart by content, not by the
/// file's name) through YamlDotNet, unquoted scalars typed as YAML types them (<c>on: true</c> a boolean, <c>qos: 1</c>
/// a number, <c>gear: slow</c> a string).
/// </summary>
internal static class DeviceLinkDocument
{
    /// <summary>The JSON reading options: comments and trailing commas allowed, as Kubernetes' own tools accept.</summary>
    public static readonly JsonDocumentOptions JsonOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>Reads a file as JSON text.</summary>
    /// <param name="file">The file.</param>
    /// <returns>The document as JSON.</returns>
    /// <exception cref="DeviceLinkException">The file cannot be read, or is neither JSON nor YAML.</exception>
    public static string ReadAsJson(string file)
    {
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DeviceLinkException(file, ["does not exist"]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DeviceLinkException(file, [$"cannot be read: {e.Message}"]);
        }

        return ToJson(text, file);
    }

    /// <summary>Turns a document into JSON text.</summary>
    /// <param name="text">The document, JSON or YAML.</param>
    /// <param name="file">Where it came from, for messages.</param>
    /// <returns>The document as JSON.</returns>
    /// <exception cref="DeviceLinkException">The text is neither JSON nor YAML.</exception>
    public static string ToJson(string text, string file)
    {
        if (text.TrimStart() is ['{' or '[', ..] && IsJson(text))
        {
            return text;
        }

        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            return stream.Documents is [var document, ..] && ToNode(document.RootNode) is { } root
                ? root.ToJsonString()
                : throw new DeviceLinkException(file, ["is empty; expected a DeviceLink"]);
        }
        catch (YamlException e)
        {
            throw new DeviceLinkException(file, [$"is neither JSON nor valid YAML: line {e.Start.Line}, column {e.Start.Column}: {e.Message}"]);
        }
    }

    private static bool IsJson(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text, JsonOptions);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static JsonNode? ToNode(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(p => KeyValuePair.Create(((YamlScalarNode)p.Key).Value ?? string.Empty, ToNode(p.Value)))),
        YamlSequenceNode list => new JsonArray([.. list.Children.Select(ToNode)]),
        YamlScalarNode { Style: ScalarStyle.Plain } scalar => Plain(scalar.Value ?? string.Empty),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value ?? string.Empty),
        _ => null,
    };

    /// <summary>Types an unquoted scalar as YAML does: null, a boolean, a whole or decimal number, else a string.</summary>
    private static JsonValue? Plain(string text) => text switch
    {
        "" or "~" or "null" or "Null" or "NULL" => null,
        "true" or "True" or "TRUE" => JsonValue.Create(true),
        "false" or "False" or "FALSE" => JsonValue.Create(false),
        _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole) => JsonValue.Create(whole),
        _ when text.Any(char.IsDigit) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
        _ => JsonValue.Create(text),
    };
}
