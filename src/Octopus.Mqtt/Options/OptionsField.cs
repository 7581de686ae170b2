namespace Octopus.Mqtt;

/// <summary>One field of the options as documented: its JSON name, what it holds and, for objects, its fields.</summary>
internal sealed class OptionsField
{
    private OptionsField(string name, OptionsFieldKind kind, OptionsField[] children, string? misspelling, bool isSecret)
    {
        Name = name;
        Kind = kind;
        Children = children;
        Misspelling = misspelling;
        IsSecret = isSecret;
    }

    /// <summary>Gets the field's name, exactly as documented.</summary>
    public string Name { get; }

    /// <summary>Gets what the field holds.</summary>
    public OptionsFieldKind Kind { get; }

    /// <summary>Gets the fields of an object; empty for other kinds.</summary>
    public IReadOnlyList<OptionsField> Children { get; }

    /// <summary>Gets the documentation's misspelling of the name, read as an alias with a warning.</summary>
    public string? Misspelling { get; }

    /// <summary>Gets a value indicating whether the field's value must never appear in a message.</summary>
    public bool IsSecret { get; }

    public static OptionsField Leaf(string name, OptionsFieldKind kind, string? misspelling = null, bool isSecret = false) =>
        new(name, kind, [], misspelling, isSecret);

    public static OptionsField Object(string name, params OptionsField[] children) =>
        new(name, OptionsFieldKind.Object, children, null, false);
}
