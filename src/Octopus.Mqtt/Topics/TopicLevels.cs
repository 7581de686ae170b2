namespace Octopus.Mqtt;

/// <summary>
/// Measures and writes topic levels: a level is preceded by <c>/</c> unless it is the first, and a value is split
/// on <c>/</c> with its empty levels dropped. Measuring and writing follow the same steps, so they always agree.
/// </summary>
internal static class TopicLevels
{
    /// <summary>Measures one non-empty level, or a run of clean levels, appended at <paramref name="length"/>.</summary>
    public static int MeasureLevel(int length, int levelLength) => length + (length > 0 ? 1 : 0) + levelLength;

    /// <summary>Writes one non-empty level, or a run of clean levels, at <paramref name="position"/>.</summary>
    public static int WriteLevel(Span<char> destination, int position, ReadOnlySpan<char> level)
    {
        if (position > 0)
        {
            destination[position++] = TopicCharacters.Separator;
        }

        level.CopyTo(destination[position..]);
        return position + level.Length;
    }

    /// <summary>Measures a value that may hold several levels, appended at <paramref name="length"/>.</summary>
    public static int MeasureValue(int length, ReadOnlySpan<char> value)
    {
        while (true)
        {
            var slash = value.IndexOf(TopicCharacters.Separator);
            var level = slash < 0 ? value : value[..slash];
            if (!level.IsEmpty)
            {
                length = MeasureLevel(length, level.Length);
            }

            if (slash < 0)
            {
                return length;
            }

            value = value[(slash + 1)..];
        }
    }

    /// <summary>Writes a value that may hold several levels at <paramref name="position"/>.</summary>
    public static int WriteValue(Span<char> destination, int position, ReadOnlySpan<char> value)
    {
        while (true)
        {
            var slash = value.IndexOf(TopicCharacters.Separator);
            var level = slash < 0 ? value : value[..slash];
            if (!level.IsEmpty)
            {
                position = WriteLevel(destination, position, level);
            }

            if (slash < 0)
            {
                return position;
            }

            value = value[(slash + 1)..];
        }
    }
}
