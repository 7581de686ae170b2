namespace Octopus.Mqtt;

/// <summary>
/// The <c>client.tlsConfig</c> section: PEM contents (or references to them) for the CA bundle and the client
/// certificate and key. Without a CA the system trust store validates the broker.
/// </summary>
public sealed class MqttTlsSettings
{
    /// <summary>Gets or sets the PEM content of the CA certificates that validate the broker's certificate.</summary>
    /// <value>The default value is <see langword="null"/>: the system trust store is used.</value>
    public string? CaFilePEM { get; set; }

    /// <summary>Gets or sets the reference whose item holds the CA PEM, read when <see cref="CaFilePEM"/> is empty.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public DeviceLinkReference? CaFilePEMRef { get; set; }

    /// <summary>Gets or sets the PEM content of the client certificate.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? CertFilePEM { get; set; }

    /// <summary>Gets or sets the reference whose item holds the client certificate PEM.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public DeviceLinkReference? CertFilePEMRef { get; set; }

    /// <summary>Gets or sets the PEM content of the client certificate's private key. It is never logged.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? KeyFilePEM { get; set; }

    /// <summary>Gets or sets the reference whose item holds the client key PEM.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public DeviceLinkReference? KeyFilePEMRef { get; set; }

    /// <summary>Gets or sets the server name sent in SNI and checked against the broker's certificate.</summary>
    /// <value>The default value is <see langword="null"/>: the host of <c>client.server</c>.</value>
    public string? ServerName { get; set; }

    /// <summary>Gets or sets a value indicating whether the broker's certificate is accepted without validation.</summary>
    /// <value>The default value is <see langword="false"/>. When <see langword="true"/>, a warning is logged on each connection.</value>
    public bool InsecureSkipVerify { get; set; }

    /// <inheritdoc />
    public override string ToString() =>
        $"ca={Describe(CaFilePEM, CaFilePEMRef)}, cert={Describe(CertFilePEM, CertFilePEMRef)}, key={(string.IsNullOrEmpty(KeyFilePEM) ? KeyFilePEMRef?.ToString() ?? "(none)" : "***")}, serverName={ServerName}, insecureSkipVerify={InsecureSkipVerify}";

    private static string Describe(string? literal, DeviceLinkReference? reference) =>
        !string.IsNullOrEmpty(literal) ? "(inline)" : reference?.ToString() ?? "(none)";
}
