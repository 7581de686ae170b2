namespace Octopus.Mqtt;

/// <summary>
/// Compares MQTT options field by field, so that a new configuration replaces the connection only when its options
/// really differ. References compare by name and item (what they resolve to is compared elsewhere).
/// </summary>
/// <remarks>
/// Strings compare ordinally and <see langword="null"/> equals empty where the two mean the same (an absent and an
/// empty literal, an absent and an empty header map). Header names compare ordinally and their values in order.
/// </remarks>
internal sealed class MqttOptionsComparer : IEqualityComparer<MqttOptions>
{
    private static readonly Dictionary<string, string[]> EmptyHeaders = [];

    public static MqttOptionsComparer Instance { get; } = new();

    public bool Equals(MqttOptions? x, MqttOptions? y) =>
        ReferenceEquals(x, y)
        || (x is not null && y is not null && ClientEquals(x.Client, y.Client) && MessageEquals(x.Message, y.Message));

    public int GetHashCode(MqttOptions obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return HashCode.Combine(obj.Client?.Server, obj.Client?.ProtocolVersion, obj.Message?.Topic, obj.Message?.Qos);
    }

    private static bool ClientEquals(MqttClientSettings? x, MqttClientSettings? y) =>
        ReferenceEquals(x, y)
        || (x is not null && y is not null
            && x.Server == y.Server
            && (x.Servers ?? []).SequenceEqual(y.Servers ?? [], StringComparer.Ordinal)
            && x.ProtocolVersion == y.ProtocolVersion
            && BasicAuthEquals(x.BasicAuth, y.BasicAuth)
            && TlsEquals(x.TlsConfig, y.TlsConfig)
            && x.CleanSession == y.CleanSession
            && StoreEquals(x.Store, y.Store)
            && x.ResumeSubs == y.ResumeSubs
            && x.ConnectTimeout == y.ConnectTimeout
            && x.KeepAlive == y.KeepAlive
            && x.PingTimeout == y.PingTimeout
            && x.Order == y.Order
            && x.WriteTimeout == y.WriteTimeout
            && x.WaitTimeout == y.WaitTimeout
            && x.DisconnectQuiesce == y.DisconnectQuiesce
            && x.AutoReconnect == y.AutoReconnect
            && x.MaxReconnectInterval == y.MaxReconnectInterval
            && x.StableConnectionTime == y.StableConnectionTime
            && x.MessageChannelDepth == y.MessageChannelDepth
            && HeadersEqual(x.HttpHeaders, y.HttpHeaders));

    private static bool BasicAuthEquals(MqttBasicAuthSettings? x, MqttBasicAuthSettings? y) =>
        ReferenceEquals(x, y)
        || (x is not null && y is not null
            && Text(x.Username) == Text(y.Username)
            && RefEquals(x.UsernameRef, y.UsernameRef)
            && Text(x.Password) == Text(y.Password)
            && RefEquals(x.PasswordRef, y.PasswordRef));

    private static bool TlsEquals(MqttTlsSettings? x, MqttTlsSettings? y) =>
        ReferenceEquals(x, y)
        || (x is not null && y is not null
            && Text(x.CaFilePEM) == Text(y.CaFilePEM)
            && RefEquals(x.CaFilePEMRef, y.CaFilePEMRef)
            && Text(x.CertFilePEM) == Text(y.CertFilePEM)
            && RefEquals(x.CertFilePEMRef, y.CertFilePEMRef)
            && Text(x.KeyFilePEM) == Text(y.KeyFilePEM)
            && RefEquals(x.KeyFilePEMRef, y.KeyFilePEMRef)
            && Text(x.ServerName) == Text(y.ServerName)
            && x.InsecureSkipVerify == y.InsecureSkipVerify);

    private static bool StoreEquals(MqttStoreSettings? x, MqttStoreSettings? y) =>
        ReferenceEquals(x, y)
        || (x is not null && y is not null && x.Type == y.Type && x.DirectoryPrefix == y.DirectoryPrefix);

    private static bool MessageEquals(MqttMessageSettings? x, MqttMessageSettings? y) =>
        ReferenceEquals(x, y)
        || (x is not null && y is not null
            && x.Topic == y.Topic
            && WillEquals(x.Will, y.Will)
            && x.Qos == y.Qos
            && x.Retained == y.Retained
            && Text(x.Path) == Text(y.Path)
            && OperatorEquals(x.Operator, y.Operator)
            && x.Expiry == y.Expiry
            && x.CoalesceRetained == y.CoalesceRetained);

    private static bool WillEquals(MqttWillSettings? x, MqttWillSettings? y) =>
        ReferenceEquals(x, y)
        || (x is not null && y is not null
            && Text(x.Topic) == Text(y.Topic)
            && (x.Content ?? []).AsSpan().SequenceEqual(y.Content ?? [])
            && x.Qos == y.Qos
            && x.Retained == y.Retained);

    private static bool OperatorEquals(MqttTopicOperator? x, MqttTopicOperator? y) =>
        ReferenceEquals(x, y)
        || (x is not null && y is not null && Text(x.Read) == Text(y.Read) && Text(x.Write) == Text(y.Write));

    private static bool RefEquals(DeviceLinkReference? x, DeviceLinkReference? y) =>
        ReferenceEquals(x, y) || (x is not null && y is not null && x.Name == y.Name && x.Item == y.Item);

    private static bool HeadersEqual(IDictionary<string, string[]>? x, IDictionary<string, string[]>? y)
    {
        var left = x ?? EmptyHeaders;
        var right = y ?? EmptyHeaders;
        if (left.Count != right.Count)
        {
            return false;
        }

        foreach (var (name, values) in left)
        {
            if (!right.TryGetValue(name, out var other) || !(values ?? []).AsSpan().SequenceEqual(other ?? []))
            {
                return false;
            }
        }

        return true;
    }

    private static string Text(string? value) => value ?? string.Empty;
}
