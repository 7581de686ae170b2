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

    /// <summary>Reads the file and returns its document as JSON text.</summary>
    /// <param name="path">The file's path.</param>
    /// <returns>The JSON text: the file itself when it is JSON, the converted document when it is YAML.</returns>
    /// <exception cref="UnreadableDocumentException">The file is missing, cannot be read, or is neither YAML nor JSON.</exception>
    public static string ReadAsJson(string path) =>
        ToJson(ReadText(path), jsonOnly: string.Equals(Path.GetExtension(path), ".json", StringComparison.OrdinalIgnoreCase));

    /// <summary>Returns the document in <paramref name="text"/> as JSON text.</summary>
    /// <param name="text">YAML or JSON text.</param>
    /// <param name="jsonOnly">Whether the text must be JSON (a <c>.json</c> file); otherwise it is YAML, of which JSON is a part.</param>
    /// <returns>The JSON text.</returns>
    /// <exception cref="UnreadableDocumentException">The text is neither YAML nor JSON.</exception>
    public static string ToJson(string text, bool jsonOnly)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new UnreadableDocumentException("is empty; expected a DeviceLink or MQTT options");
        }

        if (jsonOnly || text.TrimStart() is ['{' or '[', ..])
        {
            // JSON is read as JSON (the library's reader then names repeated keys); YAML flow style also starts so.
            try
            {
                using var document = JsonDocument.Parse(text, JsonOptions);
                return text;
            }
            catch (JsonException json)
            {
                if (jsonOnly)
                {
                    throw new UnreadableDocumentException($"is not valid JSON: {json.Message}", json);
                }

                try
                {
                    return YamlToJson.Convert(text);
                }
                catch (UnreadableDocumentException)
                {
                    throw new UnreadableDocumentException($"is not valid JSON: {json.Message}", json);
                }
            }
        }

        return YamlToJson.Convert(text);
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
