using System.Globalization;

namespace Octopus.Mqtt;

/// <summary>The <c>client</c> section of the MQTT options: how to reach and stay connected to the broker.</summary>
public sealed class MqttClientSettings
{
    /// <summary>Gets or sets the broker URI, <c>scheme://host:port</c>, with scheme tcp, ssl, tls, tcps, ws, wss or unix.</summary>
    /// <value>The default value is an empty string; the field is required.</value>
    public string Server { get; set; } = string.Empty;

    /// <summary>
    /// Gets or sets more broker URIs (the nodes of a cluster), each like <see cref="Server"/>: a connection tries
    /// <see cref="Server"/> first, then these in turn, and waits its backoff only after a whole round failed. An entry
    /// equal to <see cref="Server"/> is not tried twice. <c>client.tlsConfig</c> applies to every TLS server; its
    /// <c>serverName</c> only to the servers with the host of <see cref="Server"/> (the others must present a
    /// certificate for their own host).
    /// </summary>
    /// <value>The default value is <see langword="null"/>: <see cref="Server"/> alone.</value>
    public IList<string>? Servers { get; set; }

    /// <summary>Gets or sets the MQTT protocol version: 0 (3.1.1, falling back to 3.1), 3 (3.1), 4 (3.1.1) or 5 (5.0).</summary>
    /// <value>The default value is 0.</value>
    public int ProtocolVersion { get; set; }

    /// <summary>Gets or sets the username and password, or references to them.</summary>
    /// <value>The default value is <see langword="null"/>: no credentials.</value>
    public MqttBasicAuthSettings? BasicAuth { get; set; }

    /// <summary>Gets or sets the TLS settings.</summary>
    /// <value>The default value is <see langword="null"/>: TLS only when the scheme asks for it, with the system trust store.</value>
    public MqttTlsSettings? TlsConfig { get; set; }

    /// <summary>Gets or sets a value indicating whether the broker discards the session when the client connects.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool CleanSession { get; set; } = true;

    /// <summary>Gets or sets where unacknowledged QoS 1 and 2 messages are kept.</summary>
    /// <value>The default value is a Memory store.</value>
    public MqttStoreSettings Store { get; set; } = new();

    /// <summary>Gets or sets a value indicating whether stored subscriptions are resumed on connect (only with <see cref="CleanSession"/> false).</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool ResumeSubs { get; set; }

    /// <summary>Gets or sets how long a connection attempt may take; zero never times out.</summary>
    /// <value>The default value is 30 seconds.</value>
    public GoDuration ConnectTimeout { get; set; } = GoDuration.FromSeconds(30);

    /// <summary>Gets or sets the keep-alive interval, sent to the broker in whole seconds (a fraction is rounded up).</summary>
    /// <value>The default value is 30 seconds (the Go code's default; the Octopus table's 10s is wrong).</value>
    public GoDuration KeepAlive { get; set; } = GoDuration.FromSeconds(30);

    /// <summary>Gets or sets how long to wait for a PINGRESP before the connection counts as lost.</summary>
    /// <value>The default value is 10 seconds.</value>
    public GoDuration PingTimeout { get; set; } = GoDuration.FromSeconds(10);

    /// <summary>Gets or sets a value indicating whether one device's messages reach the broker in publish order.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Order { get; set; } = true;

    /// <summary>Gets or sets the time allowed for one publish to be written and acknowledged.</summary>
    /// <value>The default value is 30 seconds.</value>
    public GoDuration WriteTimeout { get; set; } = GoDuration.FromSeconds(30);

    /// <summary>Gets or sets how long a publish or subscribe call waits for completion; zero is no limit.</summary>
    /// <value>The default value is zero.</value>
    public GoDuration WaitTimeout { get; set; }

    /// <summary>Gets or sets how long a graceful disconnect lets in-flight work finish.</summary>
    /// <value>The default value is 5 seconds.</value>
    public GoDuration DisconnectQuiesce { get; set; } = GoDuration.FromSeconds(5);

    /// <summary>Gets or sets a value indicating whether a lost connection is re-established automatically.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool AutoReconnect { get; set; } = true;

    /// <summary>Gets or sets the longest wait between reconnect attempts (the first is after 1 second, then doubling).</summary>
    /// <value>The default value is 10 minutes.</value>
    public GoDuration MaxReconnectInterval { get; set; } = GoDuration.FromMinutes(10);

    /// <summary>
    /// Gets or sets how long a connection must stay up before the reconnect backoff starts again from 1 second; a
    /// connection lost sooner counts as a failed attempt, so a broker that accepts and then drops the client (a
    /// session takeover, an ACL, a poison message) sees fewer and fewer attempts. Zero means 30 seconds or
    /// <see cref="KeepAlive"/>, whichever is longer.
    /// </summary>
    /// <value>The default value is zero: 30 seconds or <see cref="KeepAlive"/>, whichever is longer.</value>
    public GoDuration StableConnectionTime { get; set; }

    /// <summary>Gets or sets how many messages are queued while the client is offline.</summary>
    /// <value>The default value is 100.</value>
    public int MessageChannelDepth { get; set; } = 100;

    /// <summary>Gets or sets extra HTTP headers for the WebSocket opening handshake (ws and wss only).</summary>
    /// <value>The default value is <see langword="null"/>: no extra headers.</value>
    public IDictionary<string, string[]>? HttpHeaders { get; set; }

    /// <summary>Describes the settings for logs and messages: a password (in <see cref="BasicAuth"/> or the server's
    /// user information), the TLS key and the values of HTTP headers are left out.</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        $"server={ServerAddress.Redact(Server ?? string.Empty)}, servers={(Servers is null || Servers.Count == 0 ? "(none)" : string.Join(",", Servers.Select(s => ServerAddress.Redact(s ?? string.Empty))))}, protocolVersion={ProtocolVersion.ToString(CultureInfo.InvariantCulture)}, "
        + $"basicAuth={(BasicAuth is null ? "(none)" : $"{{{BasicAuth}}}")}, tlsConfig={(TlsConfig is null ? "(none)" : $"{{{TlsConfig}}}")}, "
        + $"cleanSession={Lower(CleanSession)}, store={(Store is null ? "(none)" : $"{MqttStoreTypeNames.Format(Store.Type)}:{Store.DirectoryPrefix}")}, resumeSubs={Lower(ResumeSubs)}, "
        + $"connectTimeout={ConnectTimeout}, keepAlive={KeepAlive}, pingTimeout={PingTimeout}, order={Lower(Order)}, "
        + $"writeTimeout={WriteTimeout}, waitTimeout={WaitTimeout}, disconnectQuiesce={DisconnectQuiesce}, "
        + $"autoReconnect={Lower(AutoReconnect)}, maxReconnectInterval={MaxReconnectInterval}, stableConnectionTime={StableConnectionTime}, "
        + $"messageChannelDepth={MessageChannelDepth.ToString(CultureInfo.InvariantCulture)}, "
        + $"httpHeaders={(HttpHeaders is null || HttpHeaders.Count == 0 ? "(none)" : string.Join(",", HttpHeaders.Keys))}";

    private static string Lower(bool value) => value ? "true" : "false";
}
