namespace Octopus.Mqtt;

/// <summary>What a <see cref="BoundPart"/> is, and where a keyword's value comes from before the render maps.</summary>
internal enum BoundPartKind
{
    /// <summary>Literal levels.</summary>
    Literal,

    /// <summary><c>:path</c>: <c>message.path</c>, then the render maps.</summary>
    Path,

    /// <summary><c>:operator</c>: <c>message.operator.write</c> (publish) or <c>.read</c> (subscribe), then the render maps.</summary>
    Operator,

    /// <summary>Any other keyword: only the render maps.</summary>
    Custom,
}
