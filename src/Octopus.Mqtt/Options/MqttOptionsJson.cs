using System.Text.Json;
using System.Text.Unicode;

namespace Octopus.Mqtt;

/// <summary>
/// Reads and writes MQTT options as JSON, with the documented field names (<c>{ "client": {…}, "message": {…} }</c>),
/// and reads whole DeviceLink documents.
/// </summary>
/// <remarks>
/// Reading checks the document's shape: unknown fields (with the closest known one suggested), values of the wrong
/// type, durations, base64 and store types. It reports every problem at once in one <see cref="MqttOptionsException"/>.
/// The documentation's misspellings <c>direcotryPrefix</c>, <c>connectionTime</c> and <c>passsword</c> are read as
/// <c>directoryPrefix</c>, <c>connectTimeout</c> and <c>password</c>, each with a warning. A <see langword="null"/>
/// value counts as absent. Reading does not validate the values: use <see cref="MqttOptionsValidator"/> for that.
/// </remarks>
public static class MqttOptionsJson
{
    private const string ExtensionPath = "spec.template.spec.extension.mqtt";

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>Reads MQTT options from JSON text.</summary>
    /// <param name="json">The JSON text of the options.</param>
    /// <returns>The options and the warnings found.</returns>
    /// <exception cref="MqttOptionsException">The document is not valid JSON, or has fields or values that cannot be read.</exception>
    public static MqttOptionsReadResult Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return ReadOptions(() => JsonDocument.Parse(json, DocumentOptions));
    }

    /// <summary>Reads MQTT options from UTF-8 JSON.</summary>
    /// <param name="utf8Json">The UTF-8 JSON of the options.</param>
    /// <returns>The options and the warnings found.</returns>
    /// <exception cref="MqttOptionsException">The document is not valid JSON, or has fields or values that cannot be read.</exception>
    public static MqttOptionsReadResult Read(ReadOnlySpan<byte> utf8Json)
    {
        var bytes = WithoutByteOrderMark(utf8Json).ToArray();
        return ReadOptions(() => ParseUtf8(bytes));
    }

    /// <summary>Reads MQTT options from a stream of UTF-8 JSON.</summary>
    /// <param name="utf8Json">The stream, read to its end.</param>
    /// <returns>The options and the warnings found.</returns>
    /// <exception cref="MqttOptionsException">The document is not valid JSON, or has fields or values that cannot be read.</exception>
    public static MqttOptionsReadResult Read(Stream utf8Json)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        return Read(ReadToEnd(utf8Json));
    }

    /// <summary>Reads a DeviceLink's identity (<c>metadata</c>) and MQTT extension (<c>spec.template.spec.extension.mqtt</c>) from JSON text.</summary>
    /// <param name="json">The JSON text of the DeviceLink.</param>
    /// <returns>The identity, the options (<see langword="null"/> when the DeviceLink has no MQTT extension) and the warnings found.</returns>
    /// <exception cref="MqttOptionsException">The document is not valid JSON, lacks <c>metadata.name</c> or <c>metadata.uid</c>,
    /// or its MQTT extension has fields or values that cannot be read. Problem paths start with <c>spec.template.spec.extension.mqtt</c>.</exception>
    public static MqttDeviceLinkReadResult ReadDeviceLink(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return ReadDeviceLink(() => JsonDocument.Parse(json, DocumentOptions));
    }

    /// <summary>Reads a DeviceLink's identity and MQTT extension from UTF-8 JSON.</summary>
    /// <param name="utf8Json">The UTF-8 JSON of the DeviceLink.</param>
    /// <returns>The identity, the options (<see langword="null"/> when the DeviceLink has no MQTT extension) and the warnings found.</returns>
    /// <exception cref="MqttOptionsException">The document cannot be read; see <see cref="ReadDeviceLink(string)"/>.</exception>
    public static MqttDeviceLinkReadResult ReadDeviceLink(ReadOnlySpan<byte> utf8Json)
    {
        var bytes = WithoutByteOrderMark(utf8Json).ToArray();
        return ReadDeviceLink(() => ParseUtf8(bytes));
    }

    /// <summary>Reads a DeviceLink's identity and MQTT extension from a stream of UTF-8 JSON.</summary>
    /// <param name="utf8Json">The stream, read to its end.</param>
    /// <returns>The identity, the options (<see langword="null"/> when the DeviceLink has no MQTT extension) and the warnings found.</returns>
    /// <exception cref="MqttOptionsException">The document cannot be read; see <see cref="ReadDeviceLink(string)"/>.</exception>
    public static MqttDeviceLinkReadResult ReadDeviceLink(Stream utf8Json)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        return ReadDeviceLink(ReadToEnd(utf8Json));
    }

    /// <summary>Writes options as JSON with the documented names; absent optional sections are left out.</summary>
    /// <param name="options">The options.</param>
    /// <param name="indented">Whether to indent the JSON.</param>
    /// <returns>The JSON text. It holds secrets given as literals (password, keyFilePEM): treat it as a secret.</returns>
    public static string Write(MqttOptions options, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        return MqttOptionsSerializer.Serialize(options, indented);
    }

    private static MqttOptionsReadResult ReadOptions(Func<JsonDocument> parse)
    {
        using var document = Parse(parse);
        var reader = new MqttOptionsReader(fromConfiguration: false);
        var json = reader.ReadOptions(Source(document), string.Empty);
        ThrowIfErrors(reader);
        return new MqttOptionsReadResult(MqttOptionsSerializer.Deserialize(json), reader.Warnings);
    }

    private static MqttDeviceLinkReadResult ReadDeviceLink(Func<JsonDocument> parse)
    {
        using var document = Parse(parse);
        var reader = new MqttOptionsReader(fromConfiguration: false);
        var root = Source(document);
        if (root.Kind != OptionsSourceKind.Object)
        {
            reader.AddError(string.Empty, $"expected a DeviceLink object, got {root.Describe()}");
            ThrowIfErrors(reader);
        }

        var metadata = Child(reader, root, "metadata", "metadata");
        var name = Text(reader, metadata, "metadata", "name", required: true);
        var ns = Text(reader, metadata, "metadata", "namespace", required: false);
        var uid = Text(reader, metadata, "metadata", "uid", required: true);

        var node = root;
        var path = string.Empty;
        foreach (var step in ExtensionPath.Split('.'))
        {
            if (node is not null && step == "mqtt")
            {
                DeviceLinkKeyCheck.WarnAboutOtherExtensions(reader, node, path);
            }
            else if (node is not null)
            {
                DeviceLinkKeyCheck.WarnIfMisspelt(reader, node, path, step, ExtensionPath);
            }

            path = MqttOptionsReader.Join(path, step);
            node = node is null ? null : Child(reader, node, step, path);
        }

        var json = node is null ? null : reader.ReadOptions(node, ExtensionPath);
        ThrowIfErrors(reader);
        var identity = new DeviceIdentity(string.IsNullOrEmpty(ns) ? "default" : ns, name!, uid!);
        return new MqttDeviceLinkReadResult(identity, json is null ? null : MqttOptionsSerializer.Deserialize(json), reader.Warnings);
    }

    /// <summary>Finds an object-valued property; <see langword="null"/> when it is absent or null.</summary>
    private static OptionsSourceNode? Child(MqttOptionsReader reader, OptionsSourceNode? parent, string name, string path)
    {
        var value = parent?.Properties.FirstOrDefault(p => p.Key == name).Value;
        if (value is null || value.Kind == OptionsSourceKind.Null)
        {
            return null;
        }

        if (value.Kind != OptionsSourceKind.Object)
        {
            reader.AddError(path, $"{path}: expected an object, got {value.Describe()}");
            return null;
        }

        return value;
    }

    private static string? Text(MqttOptionsReader reader, OptionsSourceNode? parent, string parentPath, string name, bool required)
    {
        var path = MqttOptionsReader.Join(parentPath, name);
        var value = parent?.Properties.FirstOrDefault(p => p.Key == name).Value;
        if (value is { Kind: OptionsSourceKind.String, Text.Length: > 0 })
        {
            return value.Text;
        }

        if (value is { Kind: not (OptionsSourceKind.String or OptionsSourceKind.Null) })
        {
            reader.AddError(path, $"{path}: expected a string, got {value.Describe()}");
        }
        else if (required)
        {
            reader.AddError(path, $"{path}: is required");
        }

        return null;
    }

    private static JsonDocument Parse(Func<JsonDocument> parse)
    {
        try
        {
            return parse();
        }
        catch (JsonException e)
        {
            throw new MqttOptionsException([MqttOptionsProblem.Error(string.Empty, $"not valid JSON: {e.Message}")], []);
        }
    }

    /// <summary>
    /// Converts the parsed document; a string or name escaping half a surrogate pair (<c>"\uD800"</c>) is valid JSON
    /// syntax but not text, and the parser only notices when it is read.
    /// </summary>
    private static OptionsSourceNode Source(JsonDocument document)
    {
        try
        {
            return OptionsSourceNode.FromJson(document.RootElement);
        }
        catch (InvalidOperationException)
        {
            throw new MqttOptionsException(
                [MqttOptionsProblem.Error(string.Empty, "not valid JSON: a string escapes half of a surrogate pair (such as \\uD800 alone), which is not text")], []);
        }
    }

    /// <summary>
    /// Parses UTF-8 JSON, refusing invalid UTF-8 up front: the parser checks it only when a string is read, and then
    /// throws an <see cref="InvalidOperationException"/> instead of a <see cref="JsonException"/>.
    /// </summary>
    private static JsonDocument ParseUtf8(byte[] bytes) => Utf8.IsValid(bytes)
        ? JsonDocument.Parse(bytes, DocumentOptions)
        : throw new JsonException("the document is not valid UTF-8");

    private static byte[] ReadToEnd(Stream stream)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static void ThrowIfErrors(MqttOptionsReader reader)
    {
        if (reader.Errors.Count > 0)
        {
            throw new MqttOptionsException(reader.Errors, reader.Warnings);
        }
    }

    private static ReadOnlySpan<byte> WithoutByteOrderMark(ReadOnlySpan<byte> utf8Json) =>
        utf8Json.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? utf8Json[3..] : utf8Json;
}
