namespace Octopus.Mqtt.Tests.Options;

public sealed class MqttOptionsValidatorTests
{
    private const string Schemes = "tcp, ssl, tls, tcps, ws, wss or unix";

    private static readonly Dictionary<string, (Action<MqttOptions> Change, string Expected)> Errors = new()
    {
        ["no client"] = (o => o.Client = null!, "client: is required"),
        ["no message"] = (o => o.Message = null!, "message: is required"),
        ["no server"] = (o => o.Client.Server = "", $"client.server: is required; expected scheme://host:port with scheme {Schemes}"),
        ["no scheme"] = (o => o.Client.Server = "broker:1883", $"client.server: \"broker:1883\" has no scheme; expected scheme://host:port with scheme {Schemes}"),
        ["bad scheme"] = (o => o.Client.Server = "ftp://x", $"client.server: \"ftp://x\" has the unknown scheme \"ftp\"; expected {Schemes}"),
        ["mqtt scheme"] = (o => o.Client.Server = "mqtt://broker:1883", $"client.server: \"mqtt://broker:1883\" has the unknown scheme \"mqtt\"; expected {Schemes}"),
        ["no host"] = (o => o.Client.Server = "tcp://:1883", "client.server: \"tcp://:1883\" has no host; expected scheme://host:port"),
        ["nothing after scheme"] = (o => o.Client.Server = "tcp://", "client.server: \"tcp://\" has no host; expected scheme://host:port"),
        ["port 0"] = (o => o.Client.Server = "tcp://broker:0", "client.server: \"tcp://broker:0\" has the port \"0\"; expected a number from 1 to 65535"),
        ["port 65536"] = (o => o.Client.Server = "ssl://broker:65536", "client.server: \"ssl://broker:65536\" has the port \"65536\"; expected a number from 1 to 65535"),
        ["port not a number"] = (o => o.Client.Server = "ws://broker:http/mqtt", "client.server: \"ws://broker:http/mqtt\" has the port \"http\"; expected a number from 1 to 65535"),
        ["empty port"] = (o => o.Client.Server = "tcp://broker:", "client.server: \"tcp://broker:\" has the port \"\"; expected a number from 1 to 65535"),
        ["ipv6 without brackets"] = (o => o.Client.Server = "tcp://::1:1883", "client.server: \"tcp://::1:1883\" has an IPv6 address without brackets; expected an address such as tcp://[::1]:1883"),
        ["ipv6 not closed"] = (o => o.Client.Server = "tcp://[::1:1883", "client.server: \"tcp://[::1:1883\" has an unclosed '['; expected an IPv6 address such as tcp://[::1]:1883"),
        ["unix without path"] = (o => o.Client.Server = "unix://", "client.server: \"unix://\" has no socket path; expected unix:///absolute/path or unix://relative/path"),
        ["password in server hidden"] = (o => o.Client.Server = "tcp://user:hunter2@broker:0", "client.server: \"tcp://***@broker:0\" carries user information; put the username and password in client.basicAuth"),
        ["protocol 6"] = (o => o.Client.ProtocolVersion = 6, "client.protocolVersion: 6 is not supported; allowed: 0 (3.1.1, falling back to 3.1), 3 (3.1), 4 (3.1.1), 5 (5.0)"),
        ["protocol -1"] = (o => o.Client.ProtocolVersion = -1, "client.protocolVersion: -1 is not supported; allowed: 0 (3.1.1, falling back to 3.1), 3 (3.1), 4 (3.1.1), 5 (5.0)"),
        ["no username"] = (o => o.Client.BasicAuth = new() { Password = "p" }, "client.basicAuth.username: is required; set username or usernameRef"),
        ["empty username"] = (o => o.Client.BasicAuth = new() { Username = "", Password = "p" }, "client.basicAuth.username: is required; set username or usernameRef"),
        ["no password"] = (o => o.Client.BasicAuth = new() { Username = "u" }, "client.basicAuth.password: is required; set password or passwordRef"),
        ["ref without name"] = (o => o.Client.BasicAuth = new() { Username = "u", PasswordRef = new() { Item = "pass" } }, "client.basicAuth.passwordRef.name: is required (the name of one of the DeviceLink's references)"),
        ["ref without item"] = (o => o.Client.BasicAuth = new() { UsernameRef = new() { Name = "auth" }, Password = "p" }, "client.basicAuth.usernameRef.item: is required (the key of the item inside the reference)"),
        ["ca ref without item"] = (o => o.Client.TlsConfig = new() { CaFilePEMRef = new() { Name = "tls" } }, "client.tlsConfig.caFilePEMRef.item: is required (the key of the item inside the reference)"),
        ["cert without key"] = (o => o.Client.TlsConfig = new() { CertFilePEM = "cert" }, "client.tlsConfig.keyFilePEM: is required with a client certificate; set keyFilePEM or keyFilePEMRef"),
        ["cert ref without key"] = (o => o.Client.TlsConfig = new() { CertFilePEMRef = new() { Name = "tls", Item = "tls.crt" } }, "client.tlsConfig.keyFilePEM: is required with a client certificate; set keyFilePEM or keyFilePEMRef"),
        ["key without cert"] = (o => o.Client.TlsConfig = new() { KeyFilePEM = "key" }, "client.tlsConfig.certFilePEM: is required with a client key; set certFilePEM or certFilePEMRef"),
        ["key ref without cert"] = (o => o.Client.TlsConfig = new() { KeyFilePEMRef = new() { Name = "tls", Item = "tls.key" }, CertFilePEM = "" }, "client.tlsConfig.certFilePEM: is required with a client key; set certFilePEM or certFilePEMRef"),
        ["no store"] = (o => o.Client.Store = null!, "client.store: is required"),
        ["store type 7"] = (o => o.Client.Store.Type = (MqttStoreType)7, "client.store.type: 7 is not a store type; allowed: Memory, File"),
        ["relative prefix"] = (o => o.Client.Store.DirectoryPrefix = "var/run/mqtt", "client.store.directoryPrefix: \"var/run/mqtt\" is not an absolute path; allowed: an absolute directory such as /var/run/octopus/mqtt"),
        ["empty prefix"] = (o => o.Client.Store.DirectoryPrefix = "", "client.store.directoryPrefix: \"\" is not an absolute path; allowed: an absolute directory such as /var/run/octopus/mqtt"),
        ["trailing slash prefix"] = (o => o.Client.Store.DirectoryPrefix = "/var/run/mqtt/", "client.store.directoryPrefix: \"/var/run/mqtt/\" ends with \"/\"; allowed: an absolute directory without a trailing \"/\""),
        ["negative connectTimeout"] = (o => o.Client.ConnectTimeout = GoDuration.Parse("-1s"), "client.connectTimeout: \"-1s\" is negative; allowed: 0s or more"),
        ["negative keepAlive"] = (o => o.Client.KeepAlive = GoDuration.Parse("-1ns"), "client.keepAlive: \"-1ns\" is negative; allowed: 0s or more"),
        ["negative pingTimeout"] = (o => o.Client.PingTimeout = GoDuration.Parse("-10s"), "client.pingTimeout: \"-10s\" is negative; allowed: 0s or more"),
        ["negative writeTimeout"] = (o => o.Client.WriteTimeout = GoDuration.Parse("-300ms"), "client.writeTimeout: \"-300ms\" is negative; allowed: 0s or more"),
        ["negative waitTimeout"] = (o => o.Client.WaitTimeout = GoDuration.Parse("-1m"), "client.waitTimeout: \"-1m0s\" is negative; allowed: 0s or more"),
        ["negative disconnectQuiesce"] = (o => o.Client.DisconnectQuiesce = GoDuration.Parse("-5s"), "client.disconnectQuiesce: \"-5s\" is negative; allowed: 0s or more"),
        ["servers entry without scheme"] = (o => o.Client.Servers = ["tcp://b:1883", "c:1883"], $"client.servers[1]: \"c:1883\" has no scheme; expected scheme://host:port with scheme {Schemes}"),
        ["servers entry empty"] = (o => o.Client.Servers = [""], $"client.servers[0]: is required; expected scheme://host:port with scheme {Schemes}"),
        ["servers entry with user information"] = (o => o.Client.Servers = ["tcp://u:p@b:1883"], "client.servers[0]: \"tcp://***@b:1883\" carries user information; put the username and password in client.basicAuth"),
        ["negative stableConnectionTime"] = (o => o.Client.StableConnectionTime = GoDuration.Parse("-1s"), "client.stableConnectionTime: \"-1s\" is negative; allowed: 0s or more"),
        ["stableConnectionTime too long"] = (o => o.Client.StableConnectionTime = GoDuration.Parse("8760h"), "client.stableConnectionTime: \"8760h0m0s\" is too long; allowed: up to 1193h2m47.294s (about 49.7 days), the longest a timer accepts"),
        ["negative maxReconnectInterval"] = (o => o.Client.MaxReconnectInterval = GoDuration.Parse("-10m"), "client.maxReconnectInterval: \"-10m0s\" is negative; allowed: 0s or more"),
        ["connectTimeout too long"] = (o => o.Client.ConnectTimeout = GoDuration.Parse("2400h"), "client.connectTimeout: \"2400h0m0s\" is too long; allowed: up to 1193h2m47.294s (about 49.7 days), the longest a timer accepts"),
        ["pingTimeout too long"] = (o => o.Client.PingTimeout = GoDuration.Parse("1193h2m47.295s"), "client.pingTimeout: \"1193h2m47.295s\" is too long; allowed: up to 1193h2m47.294s (about 49.7 days), the longest a timer accepts"),
        ["waitTimeout too long"] = (o => o.Client.WaitTimeout = GoDuration.Parse("1200h"), "client.waitTimeout: \"1200h0m0s\" is too long; allowed: up to 1193h2m47.294s (about 49.7 days), the longest a timer accepts"),
        ["disconnectQuiesce too long"] = (o => o.Client.DisconnectQuiesce = GoDuration.Parse("10000h"), "client.disconnectQuiesce: \"10000h0m0s\" is too long; allowed: up to 1193h2m47.294s (about 49.7 days), the longest a timer accepts"),
        ["maxReconnectInterval too long"] = (o => o.Client.MaxReconnectInterval = GoDuration.Parse("8760h"), "client.maxReconnectInterval: \"8760h0m0s\" is too long; allowed: up to 1193h2m47.294s (about 49.7 days), the longest a timer accepts"),
        ["writeTimeout too long"] = (o => o.Client.WriteTimeout = GoDuration.FromTimeSpan(TimeSpan.FromDays(50)), "client.writeTimeout: \"1200h0m0s\" is too long; allowed: up to 1193h2m47.294s (about 49.7 days), the longest a timer accepts"),
        ["keepAlive too long"] = (o => o.Client.KeepAlive = GoDuration.Parse("65535.001s"), "client.keepAlive: \"18h12m15.001s\" is too long; allowed: up to 65535s (18h12m15s), the most MQTT can carry"),
        ["channel depth 0"] = (o => o.Client.MessageChannelDepth = 0, "client.messageChannelDepth: 0 is too small; allowed: 1 or more"),
        ["empty header name"] = (o => o.Client.HttpHeaders = new Dictionary<string, string[]> { [""] = ["v"] }, "client.httpHeaders: has a header with the name \"\"; allowed: a non-empty header name"),
        ["null header values"] = (o => o.Client.HttpHeaders = new Dictionary<string, string[]> { ["X-A"] = null! }, "client.httpHeaders.X-A: has a null value; allowed: a list of strings"),
        ["no topic"] = (o => o.Message.Topic = "", "message.topic: is required; e.g. cattle.io/octopus/:namespace/:name"),
        ["topic ends with slash"] = (o => o.Message.Topic = "cattle.io/octopus/", "message.topic: \"cattle.io/octopus/\" ends with \"/\"; allowed: a topic template without a trailing \"/\""),
        ["qos 3"] = (o => o.Message.Qos = (MqttQos)3, "message.qos: 3 is not a QoS; allowed: 0, 1, 2"),
        ["negative expiry"] = (o => o.Message.Expiry = GoDuration.Parse("-1s"), "message.expiry: \"-1s\" is negative; allowed: 0s or more"),
        ["expiry too long"] = (o => o.Message.Expiry = GoDuration.FromSeconds(uint.MaxValue + 1L), "message.expiry: \"1193046h28m16s\" is too long; allowed: up to 1193046h28m15s (4294967295s), the most an MQTT 5 message expiry interval can carry"),
        ["will qos -1"] = (o => o.Message.Will = new() { Qos = (MqttQos)(-1) }, "message.will.qos: -1 is not a QoS; allowed: 0, 1, 2"),
        ["will topic ends with slash"] = (o => o.Message.Will = new() { Topic = "gone/" }, "message.will.topic: \"gone/\" ends with \"/\"; allowed: a topic template without a trailing \"/\""),
        ["will topic with +"] = (o => o.Message.Will = new() { Topic = "devices/+/gone" }, "message.will.topic: \"devices/+/gone\" holds the wildcard \"+\"; allowed: a topic without + or #, as the will is published"),
        ["will topic with #"] = (o => o.Message.Will = new() { Topic = "devices/#" }, "message.will.topic: \"devices/#\" holds the wildcard \"#\"; allowed: a topic without + or #, as the will is published"),
    };

    private static readonly Dictionary<string, (Action<MqttOptions> Change, string Expected)> Warnings = new()
    {
        ["username and ref"] = (o => o.Client.BasicAuth = new() { Username = "u", UsernameRef = new() { Name = "a", Item = "u" }, Password = "p" }, "client.basicAuth.usernameRef: is ignored because client.basicAuth.username is set (a literal value wins over its reference)"),
        ["password and ref"] = (o => o.Client.BasicAuth = new() { Username = "u", Password = "p", PasswordRef = new() { Name = "a", Item = "p" } }, "client.basicAuth.passwordRef: is ignored because client.basicAuth.password is set (a literal value wins over its reference)"),
        ["ca and ref"] = (o => o.Client.TlsConfig = new() { CaFilePEM = "ca", CaFilePEMRef = new() { Name = "t", Item = "ca" } }, "client.tlsConfig.caFilePEMRef: is ignored because client.tlsConfig.caFilePEM is set (a literal value wins over its reference)"),
        ["cert and ref"] = (o => o.Client.TlsConfig = new() { CertFilePEM = "c", CertFilePEMRef = new() { Name = "t", Item = "c" }, KeyFilePEMRef = new() { Name = "t", Item = "k" } }, "client.tlsConfig.certFilePEMRef: is ignored because client.tlsConfig.certFilePEM is set (a literal value wins over its reference)"),
        ["key and ref"] = (o => o.Client.TlsConfig = new() { CertFilePEM = "c", KeyFilePEM = "k", KeyFilePEMRef = new() { Name = "t", Item = "k" } }, "client.tlsConfig.keyFilePEMRef: is ignored because client.tlsConfig.keyFilePEM is set (a literal value wins over its reference)"),
        ["resumeSubs with cleanSession"] = (o => o.Client.ResumeSubs = true, "client.resumeSubs: has no effect while client.cleanSession is true"),
        ["operator.read without :operator"] = (o => (o.Message.Topic, o.Message.Operator) = ("cattle.io/octopus/:namespace/:name", new() { Read = "status" }), "message.operator.read: \"status\" is not used: message.topic \"cattle.io/octopus/:namespace/:name\" has no :operator level, so the subscribe topic is the publish topic (the device receives its own status); add :operator to the topic or remove operator.read"),
        ["operator.write without :operator"] = (o => (o.Message.Topic, o.Message.Operator) = ("devices/:operatorx/:name", new() { Write = "set" }), "message.operator.write: \"set\" is not used: message.topic \"devices/:operatorx/:name\" has no :operator level; add :operator to the topic or remove operator.write"),
    };

    public static TheoryData<string> ErrorCases => [.. Errors.Keys];

    public static TheoryData<string> WarningCases => [.. Warnings.Keys];

    [Theory]
    [MemberData(nameof(ErrorCases))]
    public void GetProblems_OneBadField_ReportsExactlyItsError(string name)
    {
        var (change, expected) = Errors[name];
        var options = OptionsDocuments.Minimal();
        change(options);

        var problems = MqttOptionsValidator.GetProblems(options);

        problems.Select(p => p.ToString()).Should().Equal($"error: {expected}");
        problems[0].Path.Should().Be(expected[..expected.IndexOf(':', StringComparison.Ordinal)]);
        new MqttOptionsValidator().Validate(null, options).Failures.Should().Equal(expected);
    }

    [Theory]
    [MemberData(nameof(WarningCases))]
    public void GetProblems_LiteralAndReferenceOrUselessSetting_ReportsAWarningOnly(string name)
    {
        var (change, expected) = Warnings[name];
        var options = OptionsDocuments.Minimal();
        change(options);

        var problems = MqttOptionsValidator.GetProblems(options);

        problems.Select(p => p.ToString()).Should().Equal($"warning: {expected}");
        new MqttOptionsValidator().Validate(null, options).Succeeded.Should().BeTrue();
    }

    [Theory]
    [InlineData("tcp://broker:1883")]
    [InlineData("TCP://broker")]
    [InlineData("ssl://broker:8883")]
    [InlineData("tls://10.0.0.1")]
    [InlineData("tcps://broker.example.com:443")]
    [InlineData("ws://broker:8080/mqtt")]
    [InlineData("wss://broker/mqtt?x=1")]
    [InlineData("tcp://[::1]:1883")]
    [InlineData("tcp://[fe80::1]")]
    [InlineData("unix:///var/run/mosquitto.sock")]
    [InlineData("unix://relative.sock")]
    public void GetProblems_SupportedServer_ReportsNothing(string server)
    {
        var options = OptionsDocuments.Minimal();
        options.Client.Server = server;

        MqttOptionsValidator.GetProblems(options).Should().BeEmpty();
    }

    [Theory]
    [InlineData("0s")]
    [InlineData("65535s")]
    [InlineData("18h12m15s")]
    public void GetProblems_KeepAliveUpTo65535s_ReportsNothing(string keepAlive)
    {
        var options = OptionsDocuments.Minimal();
        options.Client.KeepAlive = GoDuration.Parse(keepAlive);

        MqttOptionsValidator.GetProblems(options).Should().BeEmpty();
    }

    [Fact]
    public void GetProblems_EveryDurationAtTheLongestATimerAccepts_ReportsNothing()
    {
        var longest = GoDuration.Parse("1193h2m47.294s");
        var options = OptionsDocuments.Minimal();
        options.Client.ConnectTimeout = longest;
        options.Client.PingTimeout = longest;
        options.Client.WriteTimeout = longest;
        options.Client.WaitTimeout = longest;
        options.Client.DisconnectQuiesce = longest;
        options.Client.MaxReconnectInterval = longest;

        MqttOptionsValidator.GetProblems(options).Should().BeEmpty();
        var timer = () => TimeProvider.System.CreateTimer(_ => { }, null, longest.ToTimeSpan(), Timeout.InfiniteTimeSpan).Dispose();
        timer.Should().NotThrow("the bound is what a timer accepts");
    }

    [Theory]
    [InlineData("cattle.io/octopus/:operator/device/:name", "status", "set", null)]
    [InlineData("cattle.io/octopus/:namespace/:name", "null", "null", null)]
    [InlineData("cattle.io/octopus/:namespace/:name", null, "set", "gone/:operator/:name")]
    public void GetProblems_OperatorUsedOrEmpty_ReportsNothing(string topic, string? read, string? write, string? willTopic)
    {
        var options = OptionsDocuments.Minimal();
        options.Message.Topic = topic;
        options.Message.Operator = new MqttTopicOperator { Read = read, Write = write };
        if (willTopic is not null)
        {
            options.Message.Will = new MqttWillSettings { Topic = willTopic, Content = [1] };
        }

        MqttOptionsValidator.GetProblems(options).Should().BeEmpty();
    }

    [Theory]
    [InlineData("cattle.io/octopus/+/:name")]
    [InlineData("cattle.io/octopus/#")]
    [InlineData("/cattle.io/octopus")]
    public void GetProblems_WildcardsOrLeadingSlashInMessageTopic_ReportsNothing(string topic)
    {
        var options = OptionsDocuments.Minimal();
        options.Message.Topic = topic;

        MqttOptionsValidator.GetProblems(options).Should().BeEmpty();
    }

    [Fact]
    public void GetProblems_EveryFieldSet_ReportsOnlyTheLiteralAndReferenceAndUnusedOperatorWarnings()
    {
        var problems = MqttOptionsValidator.GetProblems(OptionsDocuments.FullOptions());

        problems.Should().OnlyContain(p => p.Severity == MqttOptionsProblemSeverity.Warning);
        problems.Select(p => p.Path).Should().Equal(
            "client.basicAuth.usernameRef",
            "client.basicAuth.passwordRef",
            "client.tlsConfig.caFilePEMRef",
            "client.tlsConfig.certFilePEMRef",
            "client.tlsConfig.keyFilePEMRef",
            "message.operator.read",
            "message.operator.write");
    }

    [Fact]
    public void Validate_ManyProblems_ReportsEveryOneInOnePass()
    {
        var options = new MqttOptions();
        options.Client.Server = "ftp://x";
        options.Client.BasicAuth = new MqttBasicAuthSettings { Password = OptionsDocuments.Password, PasswordRef = new DeviceLinkReference() };
        options.Client.TlsConfig = new MqttTlsSettings { KeyFilePEM = OptionsDocuments.PrivateKey };
        options.Client.KeepAlive = GoDuration.FromSeconds(-1);
        options.Client.MessageChannelDepth = 0;
        options.Message.Qos = (MqttQos)9;

        var result = new MqttOptionsValidator().Validate("device", options);

        result.Failed.Should().BeTrue();
        result.Failures.Should().Equal(
            $"client.server: \"ftp://x\" has the unknown scheme \"ftp\"; expected {Schemes}",
            "client.basicAuth.username: is required; set username or usernameRef",
            "client.basicAuth.passwordRef.name: is required (the name of one of the DeviceLink's references)",
            "client.basicAuth.passwordRef.item: is required (the key of the item inside the reference)",
            "client.tlsConfig.certFilePEM: is required with a client key; set certFilePEM or certFilePEMRef",
            "client.keepAlive: \"-1s\" is negative; allowed: 0s or more",
            "client.messageChannelDepth: 0 is too small; allowed: 1 or more",
            "message.topic: is required; e.g. cattle.io/octopus/:namespace/:name",
            "message.qos: 9 is not a QoS; allowed: 0, 1, 2");
        result.FailureMessage.Should().NotContain(OptionsDocuments.Password).And.NotContain("K3Y-S3CR3T");
        MqttOptionsValidator.GetProblems(options).Select(p => p.Message).Should().Contain(
            "client.basicAuth.passwordRef: is ignored because client.basicAuth.password is set (a literal value wins over its reference)");
    }

    [Fact]
    public void Validate_MinimalOptions_Succeeds() =>
        new MqttOptionsValidator().Validate(null, OptionsDocuments.Minimal()).Should().BeSameAs(Microsoft.Extensions.Options.ValidateOptionsResult.Success);
}
