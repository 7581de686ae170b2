using System.Buffers;

namespace Octopus.Mqtt;

/// <summary>Characters and limits of MQTT topics that the renderer enforces.</summary>
internal static class TopicCharacters
{
    /// <summary>The level separator.</summary>
    internal const char Separator = '/';

    /// <summary>The largest topic MQTT can carry, in UTF-8 bytes (a two-byte length prefix).</summary>
    internal const int MaxUtf8Bytes = 65535;

    /// <summary>Up to this many UTF-16 characters a topic cannot exceed <see cref="MaxUtf8Bytes"/> (at most 3 bytes each).</summary>
    internal const int SafeCharCount = MaxUtf8Bytes / 3;

    /// <summary>Characters a rendered value may never bring into a topic: the wildcards and U+0000.</summary>
    internal static readonly SearchValues<char> Forbidden = SearchValues.Create("+#\0");

    /// <summary>The forbidden characters and the separator: a value with none of them is exactly one clean level.</summary>
    internal static readonly SearchValues<char> ForbiddenOrSeparator = SearchValues.Create("+#\0/");
}
