namespace Octopus.Mqtt.Cli;

/// <summary>
/// One node of a YAML document, its scalars already resolved to JSON types. An alias is the anchored node itself,
/// so a node may appear in the tree more than once.
/// </summary>
internal sealed class YamlNode
{
    private YamlNode(YamlNodeKind kind, string? text)
    {
        Kind = kind;
        Text = text;
    }

    public YamlNodeKind Kind { get; }

    /// <summary>Gets the scalar's text: the string, the number in JSON form, or <c>true</c>/<c>false</c>/<c>null</c>.</summary>
    public string? Text { get; }

    /// <summary>Gets the text of a scalar key as written, whatever its type: JSON keys are strings.</summary>
    public string? KeyText { get; private init; }

    public List<KeyValuePair<string, YamlNode>> Pairs { get; } = [];

    public List<YamlNode> Items { get; } = [];

    public static YamlNode Mapping() => new(YamlNodeKind.Mapping, null);

    public static YamlNode Sequence() => new(YamlNodeKind.Sequence, null);

    public static YamlNode Scalar(YamlNodeKind kind, string text, string written) => new(kind, text) { KeyText = written };
}
