using System.Text;
using System.Text.Json;

namespace Octopus.Mqtt.Cli;

/// <summary>Reads a file holding a DeviceLink or MQTT options, in YAML or JSON, and gives its JSON text.</summary>
internal static class DocumentFile
{
    internal static readonly JsonDocumentOptions JsonOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads a YAML or JSON file, told apart by its content (not its extension), as JSON text.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The document as JSON.</returns>
    /// <exception cref="UnreadableDocumentException">The file cannot be read, or is neither JSON nor YAML.</exception>
    public static string ReadAsJson(string path) => ToJson(ReadText(path));

    /// <summary>
    /// Turns a document into JSON: one that starts with <c>{</c> or <c>[</c> is read as JSON (so the library's reader
    /// names repeated keys), and as YAML flow style when it is not JSON; anything else is read as YAML.
    /// </summary>
    /// <param name="text">The document.</param>
    /// <returns>The document as JSON.</returns>
    /// <exception cref="UnreadableDocumentException">The text is empty, or neither JSON nor YAML.</exception>
    public static string ToJson(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new UnreadableDocumentException("is empty; expected a DeviceLink or MQTT options");
        }

        if (text.TrimStart() is not ['{' or '[', ..])
        {
            try
            {
                return YamlToJson.Convert(text);
            }
            catch (UnreadableDocumentException yaml) when (yaml.Message.StartsWith(YamlToJson.ErrorPrefix, StringComparison.Ordinal))
            {
                throw new UnreadableDocumentException($"is neither JSON nor valid YAML: {yaml.Message[YamlToJson.ErrorPrefix.Length..]}", yaml);
            }
        }

        try
        {
            using var document = JsonDocument.Parse(text, JsonOptions);
            return text;
        }
        catch (JsonException json)
        {
            try
            {
                return YamlToJson.Convert(text);
            }
            catch (UnreadableDocumentException)
            {
                throw new UnreadableDocumentException($"is neither valid JSON nor YAML: {json.Message}", json);
            }
        }
    }

    private static string ReadText(string path)
    {
        if (Directory.Exists(path))
        {
            throw new UnreadableDocumentException("is a directory; expected a YAML or JSON file");
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new UnreadableDocumentException("does not exist", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UnreadableDocumentException("cannot be read: permission denied", e);
        }
        catch (IOException e)
        {
            throw new UnreadableDocumentException($"cannot be read: {e.Message}", e);
        }

        string text;
        try
        {
            var start = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
            text = StrictUtf8.GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException e)
        {
            throw new UnreadableDocumentException("is not UTF-8 text; expected a YAML or JSON file", e);
        }

        return text.Contains('\0', StringComparison.Ordinal)
            ? throw new UnreadableDocumentException("is binary, not text; expected a YAML or JSON file")
            : text;
    }
}
