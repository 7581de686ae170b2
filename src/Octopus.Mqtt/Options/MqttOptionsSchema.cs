namespace Octopus.Mqtt;

/// <summary>
/// The documented shape of the MQTT options: every field's JSON name, kind and the documentation's three
/// misspellings. The JSON and configuration readers check documents against it.
/// </summary>
internal static class MqttOptionsSchema
{
    /// <summary>Gets the root: <c>{ client, message }</c>.</summary>
    public static OptionsField Root { get; } = OptionsField.Object(
        string.Empty,
        OptionsField.Object(
            "client",
            OptionsField.Leaf("server", OptionsFieldKind.String),
            OptionsField.Leaf("servers", OptionsFieldKind.StringList),
            OptionsField.Leaf("protocolVersion", OptionsFieldKind.Integer),
            OptionsField.Object(
                "basicAuth",
                OptionsField.Leaf("username", OptionsFieldKind.String),
                Reference("usernameRef"),
                OptionsField.Leaf("password", OptionsFieldKind.String, misspelling: "passsword", isSecret: true),
                Reference("passwordRef")),
            OptionsField.Object(
                "tlsConfig",
                OptionsField.Leaf("caFilePEM", OptionsFieldKind.String),
                Reference("caFilePEMRef"),
                OptionsField.Leaf("certFilePEM", OptionsFieldKind.String),
                Reference("certFilePEMRef"),
                OptionsField.Leaf("keyFilePEM", OptionsFieldKind.String, isSecret: true),
                Reference("keyFilePEMRef"),
                OptionsField.Leaf("serverName", OptionsFieldKind.String),
                OptionsField.Leaf("insecureSkipVerify", OptionsFieldKind.Boolean)),
            OptionsField.Leaf("cleanSession", OptionsFieldKind.Boolean),
            OptionsField.Object(
                "store",
                OptionsField.Leaf("type", OptionsFieldKind.StoreType),
                OptionsField.Leaf("directoryPrefix", OptionsFieldKind.String, misspelling: "direcotryPrefix")),
            OptionsField.Leaf("resumeSubs", OptionsFieldKind.Boolean),
            OptionsField.Leaf("connectTimeout", OptionsFieldKind.Duration, misspelling: "connectionTime"),
            OptionsField.Leaf("keepAlive", OptionsFieldKind.Duration),
            OptionsField.Leaf("pingTimeout", OptionsFieldKind.Duration),
            OptionsField.Leaf("order", OptionsFieldKind.Boolean),
            OptionsField.Leaf("writeTimeout", OptionsFieldKind.Duration),
            OptionsField.Leaf("waitTimeout", OptionsFieldKind.Duration),
            OptionsField.Leaf("disconnectQuiesce", OptionsFieldKind.Duration),
            OptionsField.Leaf("autoReconnect", OptionsFieldKind.Boolean),
            OptionsField.Leaf("maxReconnectInterval", OptionsFieldKind.Duration),
            OptionsField.Leaf("stableConnectionTime", OptionsFieldKind.Duration),
            OptionsField.Leaf("messageChannelDepth", OptionsFieldKind.Integer),
            OptionsField.Leaf("httpHeaders", OptionsFieldKind.HeaderMap)),
        OptionsField.Object(
            "message",
            OptionsField.Leaf("topic", OptionsFieldKind.String),
            OptionsField.Object(
                "will",
                OptionsField.Leaf("topic", OptionsFieldKind.String),
                OptionsField.Leaf("content", OptionsFieldKind.Base64),
                OptionsField.Leaf("qos", OptionsFieldKind.Integer),
                OptionsField.Leaf("retained", OptionsFieldKind.Boolean)),
            OptionsField.Leaf("qos", OptionsFieldKind.Integer),
            OptionsField.Leaf("retained", OptionsFieldKind.Boolean),
            OptionsField.Leaf("path", OptionsFieldKind.String),
            OptionsField.Leaf("expiry", OptionsFieldKind.Duration),
            OptionsField.Leaf("coalesceRetained", OptionsFieldKind.Boolean),
            OptionsField.Object(
                "operator",
                OptionsField.Leaf("read", OptionsFieldKind.String),
                OptionsField.Leaf("write", OptionsFieldKind.String))));

    private static OptionsField Reference(string name) => OptionsField.Object(
        name,
        OptionsField.Leaf("name", OptionsFieldKind.String),
        OptionsField.Leaf("item", OptionsFieldKind.String));
}
