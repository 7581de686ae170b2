using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Octopus.Mqtt;

/// <summary>
/// Turns the <c>client</c> options, the client ID, the resolved credentials and the will into MQTTnet client options
/// for the transport <c>client.server</c> names. Called before every (re)connect, so that rotated secrets take effect.
/// </summary>
internal static class MqttClientOptionsFactory
{
    /// <summary>Builds the MQTTnet client options.</summary>
    /// <param name="settings">The <c>client</c> options; <see cref="MqttClientSettings.Server"/> is parsed here.</param>
    /// <param name="clientId">The client ID.</param>
    /// <param name="credentials">The resolved username, password and TLS material.</param>
    /// <param name="will">The last will, or <see langword="null"/> for none.</param>
    /// <param name="protocolVersion">The protocol version to connect with: 3, 4, 5, or 0 (which connects with 4).</param>
    /// <returns>The MQTTnet client options.</returns>
    /// <exception cref="FormatException"><c>client.server</c> is not a broker address.</exception>
    public static MqttClientOptions Create(MqttClientSettings settings, string clientId, MqttCredentials credentials, LastWillMessage? will, int protocolVersion)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Create(settings, ServerAddress.Parse(settings.Server), clientId, credentials, will, protocolVersion);
    }

    /// <summary>Builds the MQTTnet client options for an address parsed already.</summary>
    /// <param name="settings">The <c>client</c> options (<see cref="MqttClientSettings.Server"/> is not read).</param>
    /// <param name="address">The broker address.</param>
    /// <param name="clientId">The client ID.</param>
    /// <param name="credentials">The resolved username, password and TLS material.</param>
    /// <param name="will">The last will, or <see langword="null"/> for none.</param>
    /// <param name="protocolVersion">The protocol version to connect with: 3, 4, 5, or 0 (which connects with 4).</param>
    /// <returns>The MQTTnet client options.</returns>
    public static MqttClientOptions Create(
        MqttClientSettings settings,
        ServerAddress address,
        string clientId,
        MqttCredentials credentials,
        LastWillMessage? will,
        int protocolVersion)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(clientId);
        ArgumentNullException.ThrowIfNull(credentials);

        var version = ToMqttNetVersion(protocolVersion);
        var builder = new MqttClientOptionsBuilder()
            .WithClientId(clientId)
            .WithProtocolVersion(version)
            .WithCleanSession(settings.CleanSession)
            .WithTimeout(MqttTimeouts.Limit(settings.ConnectTimeout))
            .WithKeepAlivePeriod(MqttTimeouts.KeepAlive(settings.KeepAlive));

        if (version == MqttProtocolVersion.V500 && !settings.CleanSession)
        {
            // MQTT 5 ends a session when the connection closes unless told otherwise; cleanSession false means
            // "keep it", as MQTT 3.1.1 does.
            builder.WithSessionExpiryInterval(uint.MaxValue);
        }

        AddChannel(builder, settings, address);
        if (address.Transport == MqttTransport.Tls && credentials is { ClientCertificate: { } certificate, ClientCertificateChain: { Count: > 0 } chain })
        {
            // MQTTnet's TLS would send the client certificate without its intermediates.
            builder
                .WithStreamProvider(new TlsStreamProvider(new ServerCertificateValidator(address, credentials), certificate, chain))
                .WithTlsOptions(new MqttClientTlsOptionsBuilder().UseTls(false).Build());
        }
        else
        {
            builder.WithTlsOptions(CreateTlsOptions(address, credentials));
            if (address.Transport is MqttTransport.Tcp or MqttTransport.Tls or MqttTransport.UnixSocket)
            {
                // Our socket, so the kernel sizes its buffers (MQTTnet's channel fixes them at 8 KB).
                builder.WithStreamProvider(SocketStreamProvider.Instance);
            }
        }

        if (credentials.Username is not null)
        {
            builder.WithCredentials(credentials.Username, credentials.Password);
        }

        if (will is not null)
        {
            builder
                .WithWillTopic(will.Topic)
                .WithWillPayload(will.Payload)
                .WithWillQualityOfServiceLevel((MqttQualityOfServiceLevel)will.Qos)
                .WithWillRetain(will.Retain);
        }

        return builder.Build();
    }

    /// <summary>Maps <c>client.protocolVersion</c> to MQTTnet's: 3 is 3.1, 0 and 4 are 3.1.1, 5 is 5.0.</summary>
    /// <param name="protocolVersion">The protocol version.</param>
    /// <returns>MQTTnet's protocol version.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The version is none of 0, 3, 4 and 5.</exception>
    public static MqttProtocolVersion ToMqttNetVersion(int protocolVersion) => protocolVersion switch
    {
        3 => MqttProtocolVersion.V310,
        0 or 4 => MqttProtocolVersion.V311,
        5 => MqttProtocolVersion.V500,
        _ => throw new ArgumentOutOfRangeException(
            nameof(protocolVersion),
            protocolVersion,
            $"client.protocolVersion: {protocolVersion} is not a protocol version; expected 0, 3, 4 or 5"),
    };

    /// <summary>Joins the values of each <c>client.httpHeaders</c> entry with ", ", as MQTTnet takes one string per header.</summary>
    /// <param name="headers">The headers, or <see langword="null"/>.</param>
    /// <returns>The headers for MQTTnet, or <see langword="null"/> when there are none. A header without values is left out.</returns>
    public static Dictionary<string, string>? ToWebSocketHeaders(IDictionary<string, string[]>? headers)
    {
        if (headers is null || headers.Count == 0)
        {
            return null;
        }

        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in headers)
        {
            if (values is null)
            {
                continue;
            }

            var present = Array.FindAll(values, value => value is not null);
            if (present.Length > 0)
            {
                result[name] = string.Join(", ", present);
            }
        }

        return result.Count == 0 ? null : result;
    }

    private static void AddChannel(MqttClientOptionsBuilder builder, MqttClientSettings settings, ServerAddress address)
    {
        switch (address.Transport)
        {
            case MqttTransport.Tcp:
            case MqttTransport.Tls:
                builder.WithEndPoint(IPAddress.TryParse(address.Host, out var ip)
                    ? new IPEndPoint(ip, address.Port)
                    : new DnsEndPoint(address.Host, address.Port));
                break;

            case MqttTransport.UnixSocket:
                builder
                    .WithEndPoint(new UnixDomainSocketEndPoint(address.Path))
                    .WithAddressFamily(AddressFamily.Unix)
                    .WithProtocolType(ProtocolType.Unspecified);
                break;

            default:
                var headers = ToWebSocketHeaders(settings.HttpHeaders);
                builder.WithWebSocketServer(webSocket =>
                {
                    webSocket.WithUri(address.WebSocketUri);
                    if (headers is not null)
                    {
                        webSocket.WithRequestHeaders(headers);
                    }
                });
                break;
        }
    }

    private static MqttClientTlsOptions CreateTlsOptions(ServerAddress address, MqttCredentials credentials)
    {
        var tls = new MqttClientTlsOptionsBuilder().UseTls(address.UsesTls);
        if (!address.UsesTls)
        {
            return tls.Build();
        }

        var validator = new ServerCertificateValidator(address, credentials);
        tls.WithTargetHost(validator.ExpectedName)
            .WithCertificateValidationHandler(validator.Validate)
            .WithIgnoreCertificateRevocationErrors(true)
            .WithRevocationMode(X509RevocationMode.NoCheck);

        if (credentials.ClientCertificate is not null)
        {
            tls.WithClientCertificates(new X509Certificate2Collection(credentials.ClientCertificate));
        }

        return tls.Build();
    }
}
