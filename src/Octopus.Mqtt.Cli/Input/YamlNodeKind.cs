namespace Octopus.Mqtt.Cli;

/// <summary>What a <see cref="YamlNode"/> holds, in JSON terms.</summary>
internal enum YamlNodeKind
{
    Mapping,
    Sequence,
    String,
    Number,
    Boolean,
    Null,
}
