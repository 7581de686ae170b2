namespace Octopus.Mqtt.Tests.Options;

public sealed class MqttOptionsComparerTests
{
    private static readonly Dictionary<string, Action<MqttOptions>> Changes = new()
    {
        ["client.server"] = o => o.Client.Server = "tcp://other:1883",
        ["client.servers"] = o => o.Client.Servers![1] = "tcp://other:1883",
        ["client.protocolVersion"] = o => o.Client.ProtocolVersion = 4,
        ["client.basicAuth.username"] = o => o.Client.BasicAuth!.Username = "other",
        ["client.basicAuth.usernameRef.name"] = o => o.Client.BasicAuth!.UsernameRef!.Name = "other",
        ["client.basicAuth.usernameRef.item"] = o => o.Client.BasicAuth!.UsernameRef!.Item = "other",
        ["client.basicAuth.password"] = o => o.Client.BasicAuth!.Password = "other",
        ["client.basicAuth.passwordRef.name"] = o => o.Client.BasicAuth!.PasswordRef!.Name = "other",
        ["client.basicAuth.passwordRef.item"] = o => o.Client.BasicAuth!.PasswordRef!.Item = "other",
        ["client.tlsConfig.caFilePEM"] = o => o.Client.TlsConfig!.CaFilePEM = "other",
        ["client.tlsConfig.caFilePEMRef.name"] = o => o.Client.TlsConfig!.CaFilePEMRef!.Name = "other",
        ["client.tlsConfig.caFilePEMRef.item"] = o => o.Client.TlsConfig!.CaFilePEMRef!.Item = "other",
        ["client.tlsConfig.certFilePEM"] = o => o.Client.TlsConfig!.CertFilePEM = "other",
        ["client.tlsConfig.certFilePEMRef.name"] = o => o.Client.TlsConfig!.CertFilePEMRef!.Name = "other",
        ["client.tlsConfig.certFilePEMRef.item"] = o => o.Client.TlsConfig!.CertFilePEMRef!.Item = "other",
        ["client.tlsConfig.keyFilePEM"] = o => o.Client.TlsConfig!.KeyFilePEM = "other",
        ["client.tlsConfig.keyFilePEMRef.name"] = o => o.Client.TlsConfig!.KeyFilePEMRef!.Name = "other",
        ["client.tlsConfig.keyFilePEMRef.item"] = o => o.Client.TlsConfig!.KeyFilePEMRef!.Item = "other",
        ["client.tlsConfig.serverName"] = o => o.Client.TlsConfig!.ServerName = "other",
        ["client.tlsConfig.insecureSkipVerify"] = o => o.Client.TlsConfig!.InsecureSkipVerify = false,
        ["client.cleanSession"] = o => o.Client.CleanSession = true,
        ["client.store.type"] = o => o.Client.Store.Type = MqttStoreType.Memory,
        ["client.store.directoryPrefix"] = o => o.Client.Store.DirectoryPrefix = "/other",
        ["client.resumeSubs"] = o => o.Client.ResumeSubs = false,
        ["client.connectTimeout"] = o => o.Client.ConnectTimeout = GoDuration.FromNanoseconds(1),
        ["client.keepAlive"] = o => o.Client.KeepAlive = GoDuration.FromNanoseconds(1),
        ["client.pingTimeout"] = o => o.Client.PingTimeout = GoDuration.FromNanoseconds(1),
        ["client.order"] = o => o.Client.Order = true,
        ["client.writeTimeout"] = o => o.Client.WriteTimeout = GoDuration.FromNanoseconds(1),
        ["client.waitTimeout"] = o => o.Client.WaitTimeout = GoDuration.FromNanoseconds(1),
        ["client.disconnectQuiesce"] = o => o.Client.DisconnectQuiesce = GoDuration.FromNanoseconds(1),
        ["client.autoReconnect"] = o => o.Client.AutoReconnect = true,
        ["client.maxReconnectInterval"] = o => o.Client.MaxReconnectInterval = GoDuration.FromNanoseconds(1),
        ["client.stableConnectionTime"] = o => o.Client.StableConnectionTime = GoDuration.FromNanoseconds(1),
        ["client.messageChannelDepth"] = o => o.Client.MessageChannelDepth = 1,
        ["client.httpHeaders"] = o => o.Client.HttpHeaders!["X-Trace"] = ["b", "a"],
        ["message.topic"] = o => o.Message.Topic = "other",
        ["message.will.topic"] = o => o.Message.Will!.Topic = "other",
        ["message.will.content"] = o => o.Message.Will!.Content = "offlinE"u8.ToArray(),
        ["message.will.qos"] = o => o.Message.Will!.Qos = MqttQos.AtMostOnce,
        ["message.will.retained"] = o => o.Message.Will!.Retained = true,
        ["message.qos"] = o => o.Message.Qos = MqttQos.ExactlyOnce,
        ["message.retained"] = o => o.Message.Retained = true,
        ["message.path"] = o => o.Message.Path = "other",
        ["message.expiry"] = o => o.Message.Expiry = GoDuration.FromMinutes(5),
        ["message.coalesceRetained"] = o => o.Message.CoalesceRetained = true,
        ["message.operator.read"] = o => o.Message.Operator!.Read = "other",
        ["message.operator.write"] = o => o.Message.Operator!.Write = "other",
    };

    private static readonly Dictionary<string, Action<MqttOptions>> Absences = new()
    {
        ["client.basicAuth"] = o => o.Client.BasicAuth = null,
        ["client.tlsConfig"] = o => o.Client.TlsConfig = null,
        ["client.basicAuth.usernameRef"] = o => o.Client.BasicAuth!.UsernameRef = null,
        ["client.httpHeaders"] = o => o.Client.HttpHeaders = null,
        ["client.servers"] = o => o.Client.Servers = null,
        ["message.will"] = o => o.Message.Will = null,
        ["message.operator"] = o => o.Message.Operator = null,
    };

    public static TheoryData<string> Fields => [.. Changes.Keys];

    public static TheoryData<string> Sections => [.. Absences.Keys];

    [Fact]
    public void Changes_CoverEveryDocumentedField() =>
        Changes.Keys.Should().BeEquivalentTo(Leaves(MqttOptionsSchema.Root, string.Empty));

    [Theory]
    [MemberData(nameof(Fields))]
    public void Equals_OneFieldChanged_IsFalse(string field)
    {
        var changed = OptionsDocuments.FullOptions();
        Changes[field](changed);

        MqttOptionsComparer.Instance.Equals(OptionsDocuments.FullOptions(), changed).Should().BeFalse();
        MqttOptionsComparer.Instance.Equals(changed, OptionsDocuments.FullOptions()).Should().BeFalse();
    }

    [Theory]
    [MemberData(nameof(Sections))]
    public void Equals_OneSectionAbsent_IsFalse(string section)
    {
        var changed = OptionsDocuments.FullOptions();
        Absences[section](changed);

        MqttOptionsComparer.Instance.Equals(OptionsDocuments.FullOptions(), changed).Should().BeFalse();
        MqttOptionsComparer.Instance.Equals(changed, OptionsDocuments.FullOptions()).Should().BeFalse();
    }

    [Fact]
    public void Equals_SameValuesInOtherInstances_IsTrueWithTheSameHashCode()
    {
        var x = OptionsDocuments.FullOptions();
        var y = OptionsDocuments.FullOptions();
        y.Client.HttpHeaders = new Dictionary<string, string[]> { ["X-Trace"] = ["a", "b"], ["Authorization"] = ["Bearer t0k3n"] };

        MqttOptionsComparer.Instance.Equals(x, y).Should().BeTrue();
        MqttOptionsComparer.Instance.GetHashCode(x).Should().Be(MqttOptionsComparer.Instance.GetHashCode(y));
    }

    [Fact]
    public void Equals_AbsentAndEmptyMeaningTheSame_IsTrue()
    {
        var x = OptionsDocuments.Minimal();
        x.Client.BasicAuth = new MqttBasicAuthSettings { Username = null, UsernameRef = new DeviceLinkReference { Name = "a", Item = "u" } };
        x.Client.HttpHeaders = null;
        x.Message.Will = new MqttWillSettings { Topic = null };
        var y = OptionsDocuments.Minimal();
        y.Client.BasicAuth = new MqttBasicAuthSettings { Username = string.Empty, UsernameRef = new DeviceLinkReference { Name = "a", Item = "u" } };
        y.Client.HttpHeaders = new Dictionary<string, string[]>();
        y.Message.Will = new MqttWillSettings { Topic = string.Empty };

        MqttOptionsComparer.Instance.Equals(x, y).Should().BeTrue();
    }

    [Fact]
    public void Equals_NullAndSameInstance_AreHandled()
    {
        var x = OptionsDocuments.Minimal();

        MqttOptionsComparer.Instance.Equals(x, x).Should().BeTrue();
        MqttOptionsComparer.Instance.Equals(null, null).Should().BeTrue();
        MqttOptionsComparer.Instance.Equals(x, null).Should().BeFalse();
        MqttOptionsComparer.Instance.Equals(null, x).Should().BeFalse();
    }

    private static IEnumerable<string> Leaves(OptionsField field, string path)
    {
        if (field.Kind != OptionsFieldKind.Object)
        {
            return [path];
        }

        return field.Children.SelectMany(c => Leaves(c, path.Length == 0 ? c.Name : $"{path}.{c.Name}"));
    }
}
