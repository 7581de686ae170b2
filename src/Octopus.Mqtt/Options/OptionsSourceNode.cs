using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Octopus.Mqtt;

/// <summary>
/// One node of a document being read, from JSON or from configuration, so that both are checked by the same code.
/// Configuration nodes are objects or strings only: the reader interprets their strings by the field's kind.
/// </summary>
internal sealed class OptionsSourceNode
{
    private static readonly OptionsSourceNode NullNode = new(OptionsSourceKind.Null, null, [], []);

    private OptionsSourceNode(
        OptionsSourceKind kind,
        string? text,
        IReadOnlyList<KeyValuePair<string, OptionsSourceNode>> properties,
        IReadOnlyList<OptionsSourceNode> items)
    {
        Kind = kind;
        Text = text;
        Properties = properties;
        Items = items;
    }

    public OptionsSourceKind Kind { get; }

    /// <summary>Gets a string's value, a number's JSON text, or <c>true</c>/<c>false</c>.</summary>
    public string? Text { get; }

    /// <summary>Gets an object's properties in document order (JSON may repeat a name).</summary>
    public IReadOnlyList<KeyValuePair<string, OptionsSourceNode>> Properties { get; }

    /// <summary>Gets an array's items.</summary>
    public IReadOnlyList<OptionsSourceNode> Items { get; }

    public static OptionsSourceNode FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => new(
            OptionsSourceKind.Object,
            null,
            element.EnumerateObject().Select(p => new KeyValuePair<string, OptionsSourceNode>(p.Name, FromJson(p.Value))).ToArray(),
            []),
        JsonValueKind.Array => new(OptionsSourceKind.Array, null, [], element.EnumerateArray().Select(FromJson).ToArray()),
        JsonValueKind.String => new(OptionsSourceKind.String, element.GetString(), [], []),
        JsonValueKind.Number => new(OptionsSourceKind.Number, element.GetRawText(), [], []),
        JsonValueKind.True => new(OptionsSourceKind.Boolean, "true", [], []),
        JsonValueKind.False => new(OptionsSourceKind.Boolean, "false", [], []),
        _ => NullNode,
    };

    public static OptionsSourceNode FromConfiguration(IConfiguration configuration)
    {
        var children = configuration.GetChildren().ToArray();
        if (children.Length > 0)
        {
            return new(
                OptionsSourceKind.Object,
                null,
                children.Select(c => new KeyValuePair<string, OptionsSourceNode>(c.Key, FromConfiguration(c))).ToArray(),
                []);
        }

        return configuration is IConfigurationSection { Value: { } value }
            ? new(OptionsSourceKind.String, value, [], [])
            : NullNode;
    }

    /// <summary>Describes the value for a message: a string quoted, a number as written, or its kind.</summary>
    /// <param name="isSecret">Whether the value must not be shown.</param>
    /// <returns>The description.</returns>
    public string Describe(bool isSecret = false) => Kind switch
    {
        OptionsSourceKind.Object => "an object",
        OptionsSourceKind.Array => "an array",
        OptionsSourceKind.Null => "null",
        OptionsSourceKind.String when isSecret => "a string",
        OptionsSourceKind.Number when isSecret => "a number",
        OptionsSourceKind.Boolean when isSecret => "a boolean",
        OptionsSourceKind.String => $"\"{Text}\"",
        _ => Text ?? string.Empty,
    };
}
