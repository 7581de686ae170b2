namespace Octopus.Mqtt;

/// <summary>
/// The <c>client.basicAuth</c> section. A literal wins over its reference; a reference is read only when the
/// literal is empty. Both the username and the password must resolve to non-empty values.
/// </summary>
public sealed class MqttBasicAuthSettings
{
    /// <summary>Gets or sets the username.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Username { get; set; }

    /// <summary>Gets or sets the reference whose item holds the username, read when <see cref="Username"/> is empty.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public DeviceLinkReference? UsernameRef { get; set; }

    /// <summary>Gets or sets the password. It never appears in messages, logs or <see cref="ToString"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Password { get; set; }

    /// <summary>Gets or sets the reference whose item holds the password, read when <see cref="Password"/> is empty.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public DeviceLinkReference? PasswordRef { get; set; }

    /// <inheritdoc />
    public override string ToString() =>
        $"username={Username ?? UsernameRef?.ToString() ?? "(none)"}, password={(string.IsNullOrEmpty(Password) ? PasswordRef?.ToString() ?? "(none)" : "***")}";
}
