namespace Octopus.Mqtt.Cli;

/// <summary>Hides the user information of a server URI (<c>tcp://user:secret@host</c> becomes <c>tcp://***@host</c>).</summary>
internal static class ServerRedaction
{
    public const string Mask = "***";

    public static string Redact(string server)
    {
        var separator = server.IndexOf("://", StringComparison.Ordinal);
        var start = separator < 0 ? 0 : separator + 3;
        var end = server.IndexOfAny(['/', '?', '#'], start);
        var authority = server.AsSpan(start, (end < 0 ? server.Length : end) - start);
        var at = authority.LastIndexOf('@');
        return at < 0 ? server : string.Concat(server.AsSpan(0, start), Mask, server.AsSpan(start + at));
    }
}
