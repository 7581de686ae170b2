namespace Octopus.Mqtt;

/// <summary>One level of a parsed topic template: literal text, or a keyword (<c>:name</c>) named without its colon.</summary>
/// <param name="Text">The literal text, or the keyword's name.</param>
/// <param name="IsKeyword">Whether the level is a keyword.</param>
internal readonly record struct TemplateLevel(string Text, bool IsKeyword)
{
    /// <summary>Gets a value indicating whether the level is a literal wildcard level, <c>+</c> or <c>#</c>.</summary>
    public bool IsWildcard => !IsKeyword && Text is "+" or "#";
}
