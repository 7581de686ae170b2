using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Octopus.Mqtt;

/// <summary>
/// The parts of <c>client.server</c>, parsed by hand because MQTTnet's URI parser rejects the schemes ssl, tls and tcps.
/// </summary>
/// <param name="Scheme">The scheme in lower case: tcp, ssl, tls, tcps, ws, wss or unix.</param>
/// <param name="Host">The host (an IPv6 address without its brackets); empty for unix.</param>
/// <param name="Port">The port, or the scheme's default (tcp 1883, TLS 8883, ws 80, wss 443); 0 for unix.</param>
/// <param name="Path">For unix the socket path (<c>unix:///abs/path</c> gives <c>/abs/path</c>, <c>unix://relative.sock</c>
/// gives <c>relative.sock</c>); otherwise what follows the host and port (a WebSocket path), or empty.</param>
internal sealed record MqttServerAddress(string Scheme, string Host, int Port, string Path)
{
    internal const string AllowedSchemes = "tcp, ssl, tls, tcps, ws, wss, unix";

    /// <summary>Gets a value indicating whether the connection runs over TLS (ssl, tls, tcps, wss).</summary>
    public bool UsesTls => Scheme is "ssl" or "tls" or "tcps" or "wss";

    /// <summary>Gets a value indicating whether the connection is a WebSocket (ws, wss).</summary>
    public bool IsWebSocket => Scheme is "ws" or "wss";

    /// <summary>Gets a value indicating whether the connection is a Unix domain socket.</summary>
    public bool IsUnixSocket => Scheme == "unix";

    /// <summary>Parses a server URI.</summary>
    /// <param name="server">The URI, <c>scheme://host:port</c>.</param>
    /// <param name="address">The parts, when the URI is valid.</param>
    /// <param name="error">What is wrong, naming the (redacted) URI and what is allowed, when it is not.</param>
    /// <returns><see langword="true"/> when the URI is valid.</returns>
    public static bool TryParse(string server, [NotNullWhen(true)] out MqttServerAddress? address, [NotNullWhen(false)] out string? error)
    {
        address = null;
        var shown = Redact(server);
        var separator = server.IndexOf("://", StringComparison.Ordinal);
        if (separator <= 0)
        {
            error = $"\"{shown}\" is not scheme://host:port; allowed schemes: {AllowedSchemes}";
            return false;
        }

        var scheme = server[..separator].ToLowerInvariant();
        var rest = server[(separator + 3)..];
        if (scheme is not ("tcp" or "ssl" or "tls" or "tcps" or "ws" or "wss" or "unix"))
        {
            error = $"\"{shown}\" has scheme \"{server[..separator]}\"; allowed: {AllowedSchemes}";
            return false;
        }

        if (scheme == "unix")
        {
            if (rest.Length == 0)
            {
                error = $"\"{shown}\" has no socket path; expected unix:///absolute/path or unix://relative.sock";
                return false;
            }

            address = new MqttServerAddress(scheme, string.Empty, 0, rest);
            error = null;
            return true;
        }

        var end = rest.IndexOfAny(['/', '?', '#']);
        var authority = end < 0 ? rest : rest[..end];
        var path = end < 0 ? string.Empty : rest[end..];
        var hostAndPort = authority[(authority.LastIndexOf('@') + 1)..];
        string host;
        string? port = null;
        if (hostAndPort.StartsWith('['))
        {
            var close = hostAndPort.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || (close + 1 < hostAndPort.Length && hostAndPort[close + 1] != ':'))
            {
                error = $"\"{shown}\" has an IPv6 host that is not closed by \"]\" and followed by an optional :port";
                return false;
            }

            host = hostAndPort[1..close];
            port = close + 1 < hostAndPort.Length ? hostAndPort[(close + 2)..] : null;
        }
        else
        {
            var colon = hostAndPort.LastIndexOf(':');
            host = colon < 0 ? hostAndPort : hostAndPort[..colon];
            port = colon < 0 ? null : hostAndPort[(colon + 1)..];
            if (host.Contains(':', StringComparison.Ordinal))
            {
                error = $"\"{shown}\" has host \"{host}\"; an IPv6 address needs brackets, e.g. {scheme}://[::1]:1883";
                return false;
            }
        }

        if (host.Length == 0)
        {
            error = $"\"{shown}\" has no host";
            return false;
        }

        var number = DefaultPort(scheme);
        if (port is not null
            && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out number) || number is < 1 or > 65535))
        {
            error = $"\"{shown}\" has port \"{port}\"; allowed: 1 to 65535";
            return false;
        }

        address = new MqttServerAddress(scheme, host, number, path);
        error = null;
        return true;
    }

    /// <summary>Hides a password given in the URI's user information (<c>tcp://user:secret@host</c>).</summary>
    /// <param name="server">The URI.</param>
    /// <returns>The URI with the password replaced by <c>***</c>.</returns>
    public static string Redact(string server)
    {
        var separator = server.IndexOf("://", StringComparison.Ordinal);
        var start = separator < 0 ? 0 : separator + 3;
        var end = server.IndexOfAny(['/', '?', '#'], start);
        var authorityEnd = end < 0 ? server.Length : end;
        if (authorityEnd <= start)
        {
            return server;
        }

        var at = server.LastIndexOf('@', authorityEnd - 1, authorityEnd - start);
        if (at < 0)
        {
            return server;
        }

        var colon = server.IndexOf(':', start, at - start);
        return colon < 0 ? server : $"{server[..(colon + 1)]}***{server[at..]}";
    }

    private static int DefaultPort(string scheme) => scheme switch
    {
        "tcp" => 1883,
        "ws" => 80,
        "wss" => 443,
        _ => 8883,
    };
}
