namespace Octopus.Mqtt;

/// <summary>
/// One part of a bound device topic: a literal run of one or more levels (joined by <c>/</c>, never empty, no
/// leading or trailing <c>/</c>), or a keyword filled at render time.
/// </summary>
/// <param name="Text">The literal levels, or the keyword's name.</param>
/// <param name="Kind">Literal, or which kind of keyword.</param>
internal readonly record struct BoundPart(string Text, BoundPartKind Kind);
