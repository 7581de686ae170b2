using System.Buffers;

namespace Octopus.Mqtt;

/// <summary>Builds a topic level by level in a caller-supplied buffer, growing into pooled arrays when it is too small.</summary>
internal ref struct TopicBuilder
{
    private Span<char> _chars;
    private char[]? _rented;
    private int _length;

    public TopicBuilder(Span<char> initialBuffer)
    {
        _chars = initialBuffer;
        _rented = null;
        _length = 0;
    }

    public readonly int Length => _length;

    public readonly ReadOnlySpan<char> AsSpan() => _chars[.._length];

    /// <summary>Appends one non-empty level, or a run of clean levels, preceded by <c>/</c> unless it is the first.</summary>
    public void AppendLevel(ReadOnlySpan<char> level)
    {
        var needed = _length + level.Length + 1;
        if (needed > _chars.Length)
        {
            Grow(needed);
        }

        if (_length > 0)
        {
            _chars[_length++] = TopicCharacters.Separator;
        }

        level.CopyTo(_chars[_length..]);
        _length += level.Length;
    }

    /// <summary>Appends a value that may hold several levels: split on <c>/</c>, empty levels dropped.</summary>
    public void AppendLevels(ReadOnlySpan<char> value)
    {
        while (true)
        {
            var slash = value.IndexOf(TopicCharacters.Separator);
            var level = slash < 0 ? value : value[..slash];
            if (!level.IsEmpty)
            {
                AppendLevel(level);
            }

            if (slash < 0)
            {
                return;
            }

            value = value[(slash + 1)..];
        }
    }

    public override readonly string ToString() => new(_chars[.._length]);

    public void Dispose()
    {
        if (_rented is { } rented)
        {
            _rented = null;
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    private void Grow(int needed)
    {
        var next = ArrayPool<char>.Shared.Rent(Math.Max(needed, _chars.Length * 2));
        _chars[.._length].CopyTo(next);
        Dispose();
        _rented = next;
        _chars = next;
    }
}
