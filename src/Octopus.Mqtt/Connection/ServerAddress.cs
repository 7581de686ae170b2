using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Octopus.Mqtt;

/// <summary>
/// The broker address of <c>client.server</c>. Parsed here rather than by <see cref="Uri"/> or MQTTnet, which know
/// none of the schemes <c>ssl</c>, <c>tls</c> and <c>tcps</c>.
/// </summary>
/// <param name="Transport">The transport the scheme names.</param>
/// <param name="Scheme">The scheme as written, in lower case.</param>
/// <param name="Host">The host name or IP address (an IPv6 address without its brackets); empty for a Unix socket.</param>
/// <param name="Port">The port, the scheme's default when none is written; 0 for a Unix socket.</param>
/// <param name="Path">
/// For ws and wss the request path and query (<c>/</c> when none is written); for a Unix socket the socket's path,
/// absolute (<c>unix:///run/mqtt.sock</c>) or relative to the current directory (<c>unix://mqtt.sock</c>);
/// empty for TCP and TLS, whose path Go ignores too.
/// </param>
internal sealed record ServerAddress(MqttTransport Transport, string Scheme, string Host, int Port, string Path)
{
    /// <summary>The prefix of every parse error: the field's path.</summary>
    internal const string ErrorPrefix = Field + ": ";

    private const string Field = "client.server";
    private const string Schemes = "tcp, ssl, tls, tcps, ws, wss or unix";

    /// <summary>Gets a value indicating whether the transport runs over TLS (ssl, tls, tcps and wss).</summary>
    public bool UsesTls => Transport is MqttTransport.Tls or MqttTransport.SecureWebSocket;

    /// <summary>Gets the host as it is written in a URI: an IPv6 address in brackets.</summary>
    public string UriHost => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host;

    /// <summary>Gets the WebSocket URI (ws and wss only), with the port always written.</summary>
    public string WebSocketUri => Transport switch
    {
        MqttTransport.WebSocket => $"ws://{UriHost}:{Port.ToString(CultureInfo.InvariantCulture)}{Path}",
        MqttTransport.SecureWebSocket => $"wss://{UriHost}:{Port.ToString(CultureInfo.InvariantCulture)}{Path}",
        _ => throw new InvalidOperationException($"{Scheme}:// is not a WebSocket address"),
    };

    /// <summary>Parses <paramref name="server"/>.</summary>
    /// <param name="server">The value of <c>client.server</c>.</param>
    /// <returns>The address.</returns>
    /// <exception cref="FormatException">The value is not a broker address; the message names the field, the value and what is allowed.</exception>
    public static ServerAddress Parse(string? server) =>
        TryParse(server, out var address, out var error) ? address : throw new FormatException(error);

    /// <summary>Parses <paramref name="server"/> without throwing.</summary>
    /// <param name="server">The value of <c>client.server</c>.</param>
    /// <param name="address">The address, when the value is one.</param>
    /// <param name="error">Why the value is not an address, naming the field, the value (user information hidden) and what is allowed.</param>
    /// <returns>Whether the value is an address.</returns>
    public static bool TryParse(
        [NotNullWhen(true)] string? server,
        [NotNullWhen(true)] out ServerAddress? address,
        [NotNullWhen(false)] out string? error)
    {
        address = null;
        if (string.IsNullOrEmpty(server))
        {
            error = $"{Field}: is required; expected scheme://host:port with scheme {Schemes}";
            return false;
        }

        var separator = server.IndexOf("://", StringComparison.Ordinal);
        if (separator <= 0)
        {
            error = $"{Field}: {Quote(server)} has no scheme; expected scheme://host:port with scheme {Schemes}";
            return false;
        }

        var scheme = server[..separator].ToLowerInvariant();
        MqttTransport? transport = scheme switch
        {
            "tcp" => MqttTransport.Tcp,
            "ssl" or "tls" or "tcps" => MqttTransport.Tls,
            "ws" => MqttTransport.WebSocket,
            "wss" => MqttTransport.SecureWebSocket,
            "unix" => MqttTransport.UnixSocket,
            _ => null,
        };
        if (transport is null)
        {
            error = $"{Field}: {Quote(server)} has the unknown scheme {Quote(server[..separator])}; expected {Schemes}";
            return false;
        }

        var rest = server[(separator + 3)..];
        return transport == MqttTransport.UnixSocket
            ? TryParseUnix(server, scheme, rest, out address, out error)
            : TryParseNetwork(server, transport.Value, scheme, rest, out address, out error);
    }

    /// <inheritdoc />
    public override string ToString() => Transport == MqttTransport.UnixSocket
        ? $"{Scheme}://{Path}"
        : $"{Scheme}://{UriHost}:{Port.ToString(CultureInfo.InvariantCulture)}{Path}";

    private static bool TryParseUnix(string server, string scheme, string rest, out ServerAddress? address, out string? error)
    {
        address = null;
        if (rest.Length == 0)
        {
            error = $"{Field}: {Quote(server)} has no socket path; expected unix:///absolute/path or unix://relative/path";
            return false;
        }

        address = new ServerAddress(MqttTransport.UnixSocket, scheme, string.Empty, 0, rest);
        error = null;
        return true;
    }

    private static bool TryParseNetwork(string server, MqttTransport transport, string scheme, string rest, out ServerAddress? address, out string? error)
    {
        address = null;
        var authorityEnd = rest.AsSpan().IndexOfAny('/', '?', '#');
        var authority = authorityEnd < 0 ? rest : rest[..authorityEnd];
        var tail = authorityEnd < 0 ? string.Empty : rest[authorityEnd..];

        if (authority.Contains('@', StringComparison.Ordinal))
        {
            error = $"{Field}: {Quote(server)} carries user information; put the username and password in client.basicAuth";
            return false;
        }

        if (!TrySplitHostAndPort(server, scheme, authority, out var host, out var portText, out var bracketed, out error))
        {
            return false;
        }

        if (host.Length == 0)
        {
            error = $"{Field}: {Quote(server)} has no host; expected scheme://host:port";
            return false;
        }

        if (!bracketed && !IsHostName(host))
        {
            error = $"{Field}: {Quote(server)} has the invalid host {Quote(host)}";
            return false;
        }

        var port = DefaultPort(transport);
        if (portText is not null && !TryParsePort(portText, out port))
        {
            error = $"{Field}: {Quote(server)} has the port {Quote(portText)}; expected a number from 1 to 65535";
            return false;
        }

        var path = transport is MqttTransport.WebSocket or MqttTransport.SecureWebSocket ? WebSocketPath(tail) : string.Empty;
        address = new ServerAddress(transport, scheme, host, port, path);
        return true;
    }

    private static bool TrySplitHostAndPort(string server, string scheme, string authority, out string host, out string? portText, out bool bracketed, out string? error)
    {
        host = string.Empty;
        portText = null;
        error = null;
        bracketed = authority.StartsWith('[');
        if (bracketed)
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                error = $"{Field}: {Quote(server)} has an unclosed '['; expected an IPv6 address such as {scheme}://[::1]:1883";
                return false;
            }

            host = authority[1..close];
            var after = authority[(close + 1)..];
            if (after.Length > 0 && after[0] != ':')
            {
                error = $"{Field}: {Quote(server)} has {Quote(after)} after the IPv6 address; expected [address]:port";
                return false;
            }

            if (!IPAddress.TryParse(host, out var ip) || ip.AddressFamily != AddressFamily.InterNetworkV6)
            {
                error = $"{Field}: {Quote(server)} has the invalid IPv6 address {Quote(host)}; expected an address such as {scheme}://[::1]:1883";
                return false;
            }

            portText = after.Length > 0 ? after[1..] : null;
            return true;
        }

        var colon = authority.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0 && authority.IndexOf(':', colon + 1) >= 0)
        {
            error = $"{Field}: {Quote(server)} has an IPv6 address without brackets; expected an address such as {scheme}://[::1]:1883";
            return false;
        }

        host = colon < 0 ? authority : authority[..colon];
        portText = colon < 0 ? null : authority[(colon + 1)..];
        return true;
    }

    private static bool IsHostName(string host)
    {
        foreach (var c in host)
        {
            if (!char.IsLetterOrDigit(c) && "-._~!$&'()*+,;=%".IndexOf(c, StringComparison.Ordinal) < 0)
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryParsePort(string text, out int port)
    {
        port = 0;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return text.Length <= 5 && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;
    }

    private static string WebSocketPath(string tail)
    {
        var fragment = tail.IndexOf('#', StringComparison.Ordinal);
        if (fragment >= 0)
        {
            tail = tail[..fragment];
        }

        return tail.Length == 0 ? "/" : tail[0] == '/' ? tail : "/" + tail;
    }

    private static int DefaultPort(MqttTransport transport) => transport switch
    {
        MqttTransport.Tls => 8883,
        MqttTransport.WebSocket => 80,
        MqttTransport.SecureWebSocket => 443,
        _ => 1883,
    };

    /// <summary>Quotes a value for an error message, hiding any user information (which may hold a password).</summary>
    private static string Quote(string value) => $"\"{Redact(value)}\"";

    /// <summary>Hides the user information of an address (<c>tcp://user:secret@host</c> gives <c>tcp://***@host</c>).</summary>
    /// <param name="value">The address as written.</param>
    /// <returns>The address with any user information replaced by <c>***</c>.</returns>
    public static string Redact(string value)
    {
        var separator = value.IndexOf("://", StringComparison.Ordinal);
        var start = separator < 0 ? 0 : separator + 3;
        var end = value.AsSpan(start).IndexOfAny('/', '?', '#');
        var authority = end < 0 ? value.AsSpan(start) : value.AsSpan(start, end);
        var at = authority.LastIndexOf('@');
        return at < 0 ? value : string.Concat(value.AsSpan(0, start), "***", value.AsSpan(start + at));
    }
}
