namespace Octopus.Mqtt;

/// <summary>
/// Reads the Server Reference of an MQTT 5 CONNACK or DISCONNECT (reason 0x9C Use Another Server, 0x9D Server Moved):
/// a space-separated list of <c>host[:port]</c> (an IPv6 host in brackets). The client keeps its scheme, its
/// WebSocket path and its TLS settings, and the port of the server it was on when the reference names none.
/// </summary>
internal static class ServerReference
{
    /// <summary>Resolves the first usable entry of <paramref name="reference"/> against <paramref name="current"/>.</summary>
    /// <param name="reference">The Server Reference, or <see langword="null"/>.</param>
    /// <param name="current">The server that sent it.</param>
    /// <param name="target">The server to use instead.</param>
    /// <returns>Whether the reference names a server; never for a Unix socket, which has no host to replace.</returns>
    public static bool TryResolve(string? reference, ServerAddress current, out ServerAddress? target)
    {
        target = null;
        if (string.IsNullOrWhiteSpace(reference) || current.Transport == MqttTransport.UnixSocket)
        {
            return false;
        }

        foreach (var entry in reference.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (entry.AsSpan().IndexOfAny('/', '@', '?') >= 0
                || !ServerAddress.TryParse($"{current.Scheme}://{entry}", out var parsed, out _))
            {
                continue;
            }

            target = parsed with { Port = HasPort(entry) ? parsed.Port : current.Port, Path = current.Path };
            return true;
        }

        return false;
    }

    private static bool HasPort(string entry)
    {
        var close = entry.LastIndexOf(']');
        return entry.IndexOf(':', close + 1) >= 0;
    }
}
