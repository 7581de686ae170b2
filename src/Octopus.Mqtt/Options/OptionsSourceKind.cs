namespace Octopus.Mqtt;

/// <summary>What one node of a document being read holds.</summary>
internal enum OptionsSourceKind
{
    Null,
    Object,
    Array,
    String,
    Number,
    Boolean,
}
