namespace Octopus.Mqtt;

/// <summary>What <see cref="string.Create{TState}(int, TState, System.Buffers.SpanAction{char, TState})"/> needs to write a topic.</summary>
/// <param name="parts">The bound parts, in order.</param>
/// <param name="values">The resolved value of each keyword part, in order.</param>
/// <param name="multiLevel">
/// Bit <c>i</c> set: value <c>i</c> may hold <c>/</c> and is split; clear: it is exactly one level. Values from the
/// 64th on share the last bit.
/// </param>
internal readonly ref struct RenderState(BoundPart[] parts, ReadOnlySpan<string?> values, ulong multiLevel)
{
    private readonly ReadOnlySpan<string?> _values = values;

    public void Write(Span<char> destination)
    {
        var position = 0;
        var keyword = 0;
        foreach (var part in parts)
        {
            if (part.Kind == BoundPartKind.Literal)
            {
                position = TopicLevels.WriteLevel(destination, position, part.Text);
            }
            else if (_values[keyword++] is { Length: > 0 } value)
            {
                position = (multiLevel & (1UL << Math.Min(keyword - 1, 63))) == 0
                    ? TopicLevels.WriteLevel(destination, position, value)
                    : TopicLevels.WriteValue(destination, position, value);
            }
        }
    }
}
