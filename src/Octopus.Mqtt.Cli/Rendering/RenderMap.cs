namespace Octopus.Mqtt.Cli;

/// <summary>The render map given with <c>--render key=value</c>: one map applied to both topics, the last value of a key winning.</summary>
internal static class RenderMap
{
    /// <summary>The keywords a render map cannot change: the device's identity fixes them.</summary>
    public static readonly string[] FixedKeywords = ["namespace", "name", "uid"];

    /// <summary>Splits one <c>key=value</c>; a leading <c>:</c> on the key is dropped (<c>:path=x</c> is <c>path=x</c>).</summary>
    /// <param name="text">The option's value.</param>
    /// <param name="pair">The key and value.</param>
    /// <returns>Whether the text is <c>key=value</c> with a non-empty key; the value may be empty.</returns>
    public static bool TryParse(string text, out KeyValuePair<string, string> pair)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        var key = equals < 0 ? string.Empty : text[..equals].TrimStart(':');
        pair = new(key, equals < 0 ? string.Empty : text[(equals + 1)..]);
        return key.Length > 0;
    }

    public static Dictionary<string, string> Create(IEnumerable<string> values)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            if (TryParse(value, out var pair))
            {
                map[pair.Key] = pair.Value;
            }
        }

        return map;
    }
}
