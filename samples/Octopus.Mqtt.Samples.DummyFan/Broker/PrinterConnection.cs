using System.Security.Cryptography.X509Certificates;
using System.Text;
using MQTTnet;
using MQTTnet.Formatter;

namespace Octopus.Mqtt.Samples.DummyFan;

/// <summary>
/// The printer's connection to the DeviceLink's broker, as the DeviceLink asks for it: the server (TCP, TLS or
/// WebSocket), the protocol version, the literal or referenced username and password, and the TLS settings (CA,
/// client certificate and key, server name, insecureSkipVerify).
/// </summary>
internal static class PrinterConnection
{
    /// <summary>Gets the MQTT version <c>client.protocolVersion</c> names: 0 and 4 are 3.1.1, 3 is 3.1, 5 is 5.0.</summary>
    public static MqttProtocolVersion ProtocolVersion(MqttClientSettings settings) => settings.ProtocolVersion switch
    {
        3 => MqttProtocolVersion.V310,
        5 => MqttProtocolVersion.V500,
        _ => MqttProtocolVersion.V311,
    };

    /// <summary>Builds the connection options.</summary>
    /// <param name="settings">The DeviceLink's <c>client</c> options.</param>
    /// <param name="references">Reads the <c>*Ref</c> fields, or <see langword="null"/> when the host has none.</param>
    /// <param name="cancellationToken">Cancels reading the references.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ArgumentException">The scheme is one the printer does not speak (<c>unix</c>).</exception>
    /// <exception cref="InvalidOperationException">A referenced value is not found, or a PEM value cannot be read.</exception>
    public static async Task<MqttClientOptions> CreateAsync(MqttClientSettings settings, IReferenceResolver? references, CancellationToken cancellationToken)
    {
        var uri = new Uri(settings.Server);
        var scheme = uri.Scheme.ToUpperInvariant();
        var builder = new MqttClientOptionsBuilder()
            .WithClientId($"dummy-fan-printer-{Guid.NewGuid():N}"[..23])
            .WithProtocolVersion(ProtocolVersion(settings))
            .WithCleanSession();
        var tls = scheme is "SSL" or "TLS" or "TCPS" or "WSS";
        switch (scheme)
        {
            case "TCP" or "SSL" or "TLS" or "TCPS":
                builder.WithTcpServer(uri.Host, uri.Port > 0 ? uri.Port : tls ? 8883 : 1883);
                break;
            case "WS" or "WSS":
                builder.WithWebSocketServer(o => o.WithUri(settings.Server));
                break;
            default:
                throw new ArgumentException($"the printer does not connect over {uri.Scheme}");
        }

        if (tls)
        {
            var tlsOptions = await CreateTlsAsync(settings.TlsConfig, references, cancellationToken);
            builder.WithTlsOptions(tlsOptions);
        }

        if (settings.BasicAuth is { } auth)
        {
            var username = await ReadAsync(auth.Username, auth.UsernameRef, "basicAuth.username", references, cancellationToken);
            var password = await ReadAsync(auth.Password, auth.PasswordRef, "basicAuth.password", references, cancellationToken);
            if (username is not null && password is not null)
            {
                builder.WithCredentials(username, password);
            }
        }

        return builder.Build();
    }

    private static async Task<MqttClientTlsOptions> CreateTlsAsync(MqttTlsSettings? settings, IReferenceResolver? references, CancellationToken cancellationToken)
    {
        var builder = new MqttClientTlsOptionsBuilder().UseTls();
        if (settings is null)
        {
            return builder.Build();
        }

        if (!string.IsNullOrEmpty(settings.ServerName))
        {
            builder.WithTargetHost(settings.ServerName);
        }

        if (settings.InsecureSkipVerify)
        {
            builder.WithCertificateValidationHandler(_ => true);
        }
        else if (await ReadAsync(settings.CaFilePEM, settings.CaFilePEMRef, "tlsConfig.caFilePEM", references, cancellationToken) is { } caPem)
        {
            var ca = new X509Certificate2Collection();
            ca.ImportFromPem(caPem);
            builder.WithTrustChain(ca);
        }

        var certificate = await ReadAsync(settings.CertFilePEM, settings.CertFilePEMRef, "tlsConfig.certFilePEM", references, cancellationToken);
        var key = await ReadAsync(settings.KeyFilePEM, settings.KeyFilePEMRef, "tlsConfig.keyFilePEM", references, cancellationToken);
        if (certificate is not null && key is not null)
        {
            using var pem = X509Certificate2.CreateFromPem(certificate, key);

            // SslStream on Linux wants a certificate whose key is not ephemeral.
            builder.WithClientCertificates([X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null)]);
        }

        return builder.Build();
    }

    private static async Task<string?> ReadAsync(string? literal, DeviceLinkReference? reference, string field, IReferenceResolver? references, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(literal))
        {
            return literal;
        }

        if (reference is not { Name: { Length: > 0 } name, Item: { Length: > 0 } item })
        {
            return null;
        }

        var value = references is null ? null : await references.ResolveAsync(name, item, cancellationToken);
        return value is { Length: > 0 }
            ? Encoding.UTF8.GetString(value)
            : throw new InvalidOperationException($"{field}Ref: reference \"{name}\" item \"{item}\" is not found");
    }
}
