using System.Globalization;
using System.Text;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Octopus.Mqtt.Cli;

/// <summary>
/// Turns one YAML document into JSON text, for the library's JSON reader. Scalars get their types as kubectl gives
/// them (see <see cref="YamlScalarResolver"/>); keys stay the text they are written as; anchors, aliases and merge
/// keys (<c>&lt;&lt;</c>) are expanded; a repeated key is kept, so the reader can name it.
/// </summary>
internal static class YamlToJson
{
    /// <summary>How a message about text that is not YAML starts.</summary>
    internal const string ErrorPrefix = "is not valid YAML: ";

    /// <summary>The most values a document may expand to through aliases, against a "billion laughs" document.</summary>
    internal const int MaxValues = 100_000;

    /// <summary>The deepest nesting read, against a document that would exhaust the stack.</summary>
    internal const int MaxDepth = 100;

    private const string MergeKey = "<<";

    /// <summary>Converts a YAML document to JSON text.</summary>
    /// <param name="yaml">The YAML text.</param>
    /// <returns>The JSON text.</returns>
    /// <exception cref="UnreadableDocumentException">The text is not YAML, holds no document or several, or uses a tag or alias that cannot be read.</exception>
    public static string Convert(string yaml)
    {
        var root = Parse(yaml);
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, SkipValidation = true }))
        {
            var count = 0;
            Write(writer, root, ref count, depth: 0);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static YamlNode Parse(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        var anchors = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        YamlNode? root = null;
        var documents = 0;
        try
        {
            while (parser.MoveNext())
            {
                if (parser.Current is DocumentStart)
                {
                    documents++;
                    if (documents > 1)
                    {
                        throw new UnreadableDocumentException(
                            "holds more than one YAML document; expected one DeviceLink or one set of MQTT options");
                    }

                    parser.MoveNext();
                    root = ReadNode(parser, anchors, depth: 0);
                }
            }
        }
        catch (YamlException e)
        {
            throw new UnreadableDocumentException(
                string.Create(CultureInfo.InvariantCulture, $"{ErrorPrefix}line {e.Start.Line}, column {e.Start.Column}: {Sentence(e.Message)}"), e);
        }

        return root ?? throw new UnreadableDocumentException("is empty; expected a DeviceLink or MQTT options");
    }

    /// <summary>Reads the node that starts at the parser's current event; leaves the parser on its last event.</summary>
    private static YamlNode ReadNode(Parser parser, Dictionary<string, YamlNode> anchors, int depth)
    {
        var current = parser.Current!;
        if (depth > MaxDepth)
        {
            throw Error(current, string.Create(CultureInfo.InvariantCulture, $"nests deeper than {MaxDepth} levels"));
        }

        YamlNode node;
        switch (current)
        {
            case AnchorAlias alias:
                return anchors.TryGetValue(alias.Value.Value, out var anchored)
                    ? anchored
                    : throw Error(current, $"the alias *{alias.Value.Value} refers to no anchor before it");
            case Scalar scalar:
                var tag = scalar.Tag.IsEmpty ? string.Empty : scalar.Tag.IsNonSpecific ? "!" : scalar.Tag.Value;
                var resolved = YamlScalarResolver.Resolve(scalar.Value, scalar.Style, tag, out var error)
                    ?? throw Error(current, error!);
                node = YamlNode.Scalar(resolved.Kind, resolved.Text, scalar.Value);
                break;
            case SequenceStart:
                node = YamlNode.Sequence();
                while (parser.MoveNext() && parser.Current is not SequenceEnd)
                {
                    node.Items.Add(ReadNode(parser, anchors, depth + 1));
                }

                break;
            case MappingStart:
                node = YamlNode.Mapping();
                ReadPairs(parser, anchors, node, depth + 1);
                break;
            default:
                throw Error(current, $"unexpected {current.GetType().Name}");
        }

        if (current is NodeEvent { Anchor.IsEmpty: false } anchoredEvent)
        {
            anchors[anchoredEvent.Anchor.Value] = node;
        }

        return node;
    }

    private static void ReadPairs(Parser parser, Dictionary<string, YamlNode> anchors, YamlNode mapping, int depth)
    {
        var merged = new List<YamlNode>();
        while (parser.MoveNext() && parser.Current is not MappingEnd)
        {
            var keyEvent = parser.Current!;
            var key = ReadNode(parser, anchors, depth);
            if (key.KeyText is null)
            {
                throw Error(keyEvent, "a mapping key must be a single value, not a list or a mapping");
            }

            parser.MoveNext();
            var value = ReadNode(parser, anchors, depth);
            if (keyEvent is Scalar { Style: ScalarStyle.Plain, Value: MergeKey })
            {
                merged.AddRange(value.Kind == YamlNodeKind.Sequence ? value.Items : [value]);
                if (merged.Any(m => m.Kind != YamlNodeKind.Mapping))
                {
                    throw Error(keyEvent, "the merge key << takes a mapping or a list of mappings");
                }

                continue;
            }

            mapping.Pairs.Add(new(key.KeyText, value));
        }

        // Merged keys fill in what the mapping does not set itself; the first merged mapping wins among them.
        foreach (var source in merged)
        {
            foreach (var pair in source.Pairs)
            {
                if (!mapping.Pairs.Any(p => p.Key == pair.Key))
                {
                    mapping.Pairs.Add(pair);
                }
            }
        }
    }

    private static void Write(Utf8JsonWriter writer, YamlNode node, ref int count, int depth)
    {
        if (++count > MaxValues)
        {
            throw new UnreadableDocumentException(
                string.Create(CultureInfo.InvariantCulture, $"expands to more than {MaxValues} values through its aliases"));
        }

        if (depth > MaxDepth)
        {
            throw new UnreadableDocumentException(
                string.Create(CultureInfo.InvariantCulture, $"nests deeper than {MaxDepth} levels through its aliases"));
        }

        switch (node.Kind)
        {
            case YamlNodeKind.Mapping:
                writer.WriteStartObject();
                foreach (var (key, value) in node.Pairs)
                {
                    writer.WritePropertyName(key);
                    Write(writer, value, ref count, depth + 1);
                }

                writer.WriteEndObject();
                break;
            case YamlNodeKind.Sequence:
                writer.WriteStartArray();
                foreach (var item in node.Items)
                {
                    Write(writer, item, ref count, depth + 1);
                }

                writer.WriteEndArray();
                break;
            case YamlNodeKind.String:
                writer.WriteStringValue(node.Text);
                break;
            default:
                writer.WriteRawValue(node.Text!, skipInputValidation: true);
                break;
        }
    }

    private static UnreadableDocumentException Error(ParsingEvent at, string message) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{ErrorPrefix}line {at.Start.Line}, column {at.Start.Column}: {message}"));

    /// <summary>YamlDotNet's messages end with a full stop; ours continue, so drop it.</summary>
    private static string Sentence(string message) => message.TrimEnd('.', ' ');
}
