using Octopus.Mqtt.Tests.Shared;
using static Octopus.Mqtt.Tests.References.TestCertificates;

namespace Octopus.Mqtt.Tests.Security;

/// <summary>
/// The one place that lists the bad inputs the library refuses, each beside the exact message it gives.
/// Every message names the field (or the template or value) it is about. Inputs asserted one-for-one
/// elsewhere (Options/MqttOptionsJsonTests, Options/MqttOptionsValidatorTests, Topics/*, References/*,
/// Connection/ServerAddressTests) are not repeated here: this list adds the ones they do not cover.
/// </summary>
public sealed class BadInputCatalogueTests
{
    private static readonly DeviceIdentity Device = new("default", "fan", "2b4f");
    private static readonly string CertPem = TestPki.CertificatePem(Root);
    private static readonly string ClientPem = TestPki.CertificatePem(ClientRsa);
    private static readonly string KeyPem = TestPki.Pkcs8KeyPem(ClientRsa);

    /// <summary>Name → (the field or subject the message must name, how to feed the bad input, the exact outcome).</summary>
    private static readonly Dictionary<string, (string Field, Func<Task<string>> Feed, string Expected)> Cases = new()
    {
        // ---- options JSON: MqttOptionsJson.Read ----
        ["json empty document"] = ("JSON", () => Json(""), "MqttOptionsException: not valid JSON: The input does not contain any JSON tokens. Expected the input to start with a valid JSON token, when isFinalBlock is true. LineNumber: 0 | BytePositionInLine: 0."),
        ["json number document"] = ("client", () => Json("42"), "MqttOptionsException: expected an object with the fields client and message, got 42"),
        ["json string document"] = ("client", () => Json("\"tcp://broker:1883\""), "MqttOptionsException: expected an object with the fields client and message, got \"tcp://broker:1883\""),
        ["json truncated"] = ("JSON", () => Json("""{"client":{"server":"tcp://b:1"}"""), "MqttOptionsException: not valid JSON: Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed. LineNumber: 0 | BytePositionInLine: 32."),
        ["json client is an array"] = ("client", () => Json("""{"client":[]}"""), "MqttOptionsException: client: expected an object, got an array"),
        ["json message is a string"] = ("message", () => Json("""{"message":"a/b"}"""), "MqttOptionsException: message: expected an object, got \"a/b\""),
        ["json autoReconnect number"] = ("client.autoReconnect", () => Json("""{"client":{"autoReconnect":1}}"""), "MqttOptionsException: client.autoReconnect: expected true or false, got 1"),
        ["json resumeSubs zero"] = ("client.resumeSubs", () => Json("""{"client":{"resumeSubs":0}}"""), "MqttOptionsException: client.resumeSubs: expected true or false, got 0"),
        ["json order string"] = ("client.order", () => Json("""{"client":{"order":"false"}}"""), "MqttOptionsException: client.order: expected true or false, got \"false\""),
        ["json retained string"] = ("message.retained", () => Json("""{"message":{"retained":"yes"}}"""), "MqttOptionsException: message.retained: expected true or false, got \"yes\""),
        ["json insecureSkipVerify string"] = ("client.tlsConfig.insecureSkipVerify", () => Json("""{"client":{"tlsConfig":{"insecureSkipVerify":"true"}}}"""), "MqttOptionsException: client.tlsConfig.insecureSkipVerify: expected true or false, got \"true\""),
        ["json tlsConfig array"] = ("client.tlsConfig", () => Json("""{"client":{"tlsConfig":[]}}"""), "MqttOptionsException: client.tlsConfig: expected an object, got an array"),
        ["json basicAuth string"] = ("client.basicAuth", () => Json("""{"client":{"basicAuth":"user:pass"}}"""), "MqttOptionsException: client.basicAuth: expected an object, got \"user:pass\""),
        ["json passwordRef string"] = ("client.basicAuth.passwordRef", () => Json("""{"client":{"basicAuth":{"passwordRef":"secret/pw"}}}"""), "MqttOptionsException: client.basicAuth.passwordRef: expected an object, got \"secret/pw\""),
        ["json ref name number"] = ("client.basicAuth.usernameRef.name", () => Json("""{"client":{"basicAuth":{"usernameRef":{"name":5}}}}"""), "MqttOptionsException: client.basicAuth.usernameRef.name: expected a string, got 5"),
        ["json protocolVersion string"] = ("client.protocolVersion", () => Json("""{"client":{"protocolVersion":"4"}}"""), "MqttOptionsException: client.protocolVersion: expected a whole number, got \"4\""),
        ["json depth negative fraction"] = ("client.messageChannelDepth", () => Json("""{"client":{"messageChannelDepth":-1.5}}"""), "MqttOptionsException: client.messageChannelDepth: expected a whole number, got -1.5"),
        ["json qos huge exponent"] = ("message.qos", () => Json("""{"message":{"qos":1e400}}"""), "MqttOptionsException: message.qos: expected a whole number, got 1e400"),
        ["json will qos string"] = ("message.will.qos", () => Json("""{"message":{"will":{"qos":"2"}}}"""), "MqttOptionsException: message.will.qos: expected a whole number, got \"2\""),
        ["json will topic number"] = ("message.will.topic", () => Json("""{"message":{"will":{"topic":7}}}"""), "MqttOptionsException: message.will.topic: expected a string, got 7"),
        ["json path object"] = ("message.path", () => Json("""{"message":{"path":{}}}"""), "MqttOptionsException: message.path: expected a string, got an object"),
        ["json header value null"] = ("client.httpHeaders.X[0]", () => Json("""{"client":{"httpHeaders":{"X":[null]}}}"""), "MqttOptionsException: client.httpHeaders.X[0]: expected a string, got null"),
        ["json duration with space"] = ("client.connectTimeout", () => Json("""{"client":{"connectTimeout":"5 s"}}"""), "MqttOptionsException: client.connectTimeout: \"5 s\" has an unknown unit \" s\"; expected a Go duration such as 300ms, 1.5s, 1m30s or 2h45m (units ns, us, µs, ms, s, m, h)"),
        ["json duration unit years"] = ("client.pingTimeout", () => Json("""{"client":{"pingTimeout":"1y"}}"""), "MqttOptionsException: client.pingTimeout: \"1y\" has an unknown unit \"y\"; expected a Go duration such as 300ms, 1.5s, 1m30s or 2h45m (units ns, us, µs, ms, s, m, h)"),
        ["json duration overflow"] = ("client.maxReconnectInterval", () => Json("""{"client":{"maxReconnectInterval":"9999999999h"}}"""), "MqttOptionsException: client.maxReconnectInterval: \"9999999999h\" is longer than the longest duration, 2562047h47m16.854775807s (about 292 years)"),
        ["json duration empty"] = ("client.waitTimeout", () => Json("""{"client":{"waitTimeout":""}}"""), "MqttOptionsException: client.waitTimeout: \"\" is not a Go duration such as 300ms, 1.5s, 1m30s or 2h45m (units ns, us, µs, ms, s, m, h)"),
        ["json duration lone sign"] = ("client.writeTimeout", () => Json("""{"client":{"writeTimeout":"-"}}"""), "MqttOptionsException: client.writeTimeout: \"-\" is not a Go duration such as 300ms, 1.5s, 1m30s or 2h45m (units ns, us, µs, ms, s, m, h)"),
        ["json duration bool"] = ("client.disconnectQuiesce", () => Json("""{"client":{"disconnectQuiesce":true}}"""), "MqttOptionsException: client.disconnectQuiesce: expected a Go duration such as 300ms, 1.5s, 1m30s or 2h45m (units ns, us, µs, ms, s, m, h), got true"),
        ["json invalid utf8"] = ("UTF-8", () => JsonBytes([(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}']), "MqttOptionsException: not valid JSON: the document is not valid UTF-8"),
        ["json lone surrogate escape"] = ("surrogate", () => Json("""{"client":{"server":"\uD800"}}"""), "MqttOptionsException: not valid JSON: a string escapes half of a surrogate pair (such as \\uD800 alone), which is not text"),
        ["json lone surrogate in a name"] = ("surrogate", () => Json("""{"client":{"\uDC00":1}}"""), "MqttOptionsException: not valid JSON: a string escapes half of a surrogate pair (such as \\uD800 alone), which is not text"),
        ["json nested too deep"] = ("JSON", () => Json(string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100)), "MqttOptionsException: not valid JSON: The maximum configured depth of 64 has been exceeded. Cannot read next JSON object. LineNumber: 0 | BytePositionInLine: 320."),

        // ---- options values: MqttOptionsValidator.GetProblems after a successful read ----
        ["server negative port"] = ("client.server", () => Validate("""{"client":{"server":"tcp://broker:-1"}}"""), "error: client.server: \"tcp://broker:-1\" has the port \"-1\"; expected a number from 1 to 65535"),
        ["server wss without host"] = ("client.server", () => Validate("""{"client":{"server":"wss://:443/mqtt"}}"""), "error: client.server: \"wss://:443/mqtt\" has no host; expected scheme://host:port"),
        ["server leading space"] = ("client.server", () => Validate("""{"client":{"server":" tcp://broker:1883"}}"""), "error: client.server: \" tcp://broker:1883\" has the unknown scheme \" tcp\"; expected tcp, ssl, tls, tcps, ws, wss or unix"),
        ["server unix without slashes"] = ("client.server", () => Validate("""{"client":{"server":"unix:/run/mosquitto.sock"}}"""), "error: client.server: \"unix:/run/mosquitto.sock\" has no scheme; expected scheme://host:port with scheme tcp, ssl, tls, tcps, ws, wss or unix"),
        ["server user and password"] = ("client.server", () => Validate("""{"client":{"server":"ssl://admin:p%40ss@broker:8883"}}"""), "error: client.server: \"ssl://***@broker:8883\" carries user information; put the username and password in client.basicAuth"),
        ["keepAlive a day"] = ("client.keepAlive", () => Validate("""{"client":{"keepAlive":"24h"}}"""), "error: client.keepAlive: \"24h0m0s\" is too long; allowed: up to 65535s (18h12m15s), the most MQTT can carry"),
        ["depth negative"] = ("client.messageChannelDepth", () => Validate("""{"client":{"messageChannelDepth":-5}}"""), "error: client.messageChannelDepth: -5 is too small; allowed: 1 or more"),
        ["protocol version 2"] = ("client.protocolVersion", () => Validate("""{"client":{"protocolVersion":2}}"""), "error: client.protocolVersion: 2 is not supported; allowed: 0 (3.1.1, falling back to 3.1), 3 (3.1), 4 (3.1.1), 5 (5.0)"),
        ["qos 2 as 7"] = ("message.qos", () => Validate("""{"message":{"qos":7}}"""), "error: message.qos: 7 is not a QoS; allowed: 0, 1, 2"),
        ["prefix windows path"] = ("client.store.directoryPrefix", () => Validate("""{"client":{"store":{"directoryPrefix":"C:\\mqtt"}}}"""), "error: client.store.directoryPrefix: \"C:\\mqtt\" is not an absolute path; allowed: an absolute directory such as /var/run/octopus/mqtt"),
        ["will topic wildcard level"] = ("message.will.topic", () => Validate("""{"message":{"will":{"topic":"a/+"}}}"""), "error: message.will.topic: \"a/+\" holds the wildcard \"+\"; allowed: a topic without + or #, as the will is published"),

        // ---- server URIs: ServerAddress.Parse ----
        ["uri null"] = ("client.server", () => Server(null), "FormatException: client.server: is required; expected scheme://host:port with scheme tcp, ssl, tls, tcps, ws, wss or unix"),
        ["uri only scheme separator"] = ("client.server", () => Server("://broker:1883"), "FormatException: client.server: \"://broker:1883\" has no scheme; expected scheme://host:port with scheme tcp, ssl, tls, tcps, ws, wss or unix"),
        ["uri http"] = ("client.server", () => Server("http://broker:80"), "FormatException: client.server: \"http://broker:80\" has the unknown scheme \"http\"; expected tcp, ssl, tls, tcps, ws, wss or unix"),
        ["uri port too big"] = ("client.server", () => Server("tcp://broker:99999999999"), "FormatException: client.server: \"tcp://broker:99999999999\" has the port \"99999999999\"; expected a number from 1 to 65535"),
        ["uri ipv6 garbage after bracket"] = ("client.server", () => Server("tcp://[::1]x:1883"), "FormatException: client.server: \"tcp://[::1]x:1883\" has \"x:1883\" after the IPv6 address; expected [address]:port"),

        // ---- durations: GoDuration.Parse ----
        ["duration leading space"] = ("\" 1s\"", () => Duration(" 1s"), "FormatException: \" 1s\" is not a Go duration such as 300ms, 1.5s, 1m30s or 2h45m (units ns, us, µs, ms, s, m, h)"),
        ["duration double unit"] = ("\"1ss\"", () => Duration("1ss"), "FormatException: \"1ss\" has an unknown unit \"ss\"; expected a Go duration such as 300ms, 1.5s, 1m30s or 2h45m (units ns, us, µs, ms, s, m, h)"),
        ["duration unit only"] = ("\"s\"", () => Duration("s"), "FormatException: \"s\" is not a Go duration such as 300ms, 1.5s, 1m30s or 2h45m (units ns, us, µs, ms, s, m, h)"),
        ["duration exponent"] = ("\"1e3s\"", () => Duration("1e3s"), "FormatException: \"1e3s\" has an unknown unit \"e\"; expected a Go duration such as 300ms, 1.5s, 1m30s or 2h45m (units ns, us, µs, ms, s, m, h)"),
        ["duration two signs"] = ("\"+-1s\"", () => Duration("+-1s"), "FormatException: \"+-1s\" is not a Go duration such as 300ms, 1.5s, 1m30s or 2h45m (units ns, us, µs, ms, s, m, h)"),
        ["duration int64 overflow"] = ("\"9223372037s\"", () => Duration("9223372037s"), "FormatException: \"9223372037s\" is longer than the longest duration, 2562047h47m16.854775807s (about 292 years)"),

        // ---- topics: MqttTopicTemplate.Parse / Bind / Render ----
        ["topic NUL"] = ("a/\\0", () => Topic(() => MqttTopicTemplate.Parse("a/\0")), "MqttTopicException: The topic template \"a/\\0\" contains U+0000, which MQTT does not allow in a topic."),
        ["topic plus inside level"] = ("b+", () => Topic(() => MqttTopicTemplate.Parse("a/b+/c")), "MqttTopicException: The topic template \"a/b+/c\" has the level \"b+\" with \"+\" or \"#\" inside it; a wildcard must be a whole level, and only in a subscribe topic."),
        ["topic hash inside level"] = ("x#", () => Topic(() => MqttTopicTemplate.Parse("a/x#")), "MqttTopicException: The topic template \"a/x#\" has the level \"x#\" with \"+\" or \"#\" inside it; a wildcard must be a whole level, and only in a subscribe topic."),
        ["topic hash not last"] = ("a/#/b", () => Topic(() => MqttTopicTemplate.Parse("a/#/b")), "MqttTopicException: The topic template \"a/#/b\" has levels after the wildcard \"#\"; \"#\" must be the last level."),
        ["topic empty"] = ("\"\"", () => Topic(() => MqttTopicTemplate.Parse("")), "MqttTopicException: The topic template \"\" has no levels; a topic needs at least one."),
        ["bind name with plus"] = (":name", () => Topic(() => MqttTopicTemplate.Parse("a/:name").Bind(Device with { Name = "fan+1" })), "MqttTopicException: The value \"fan+1\" of :name would put the wildcard \"+\" into the topic; a value cannot contain \"+\", \"#\" or U+0000."),
        ["bind namespace with hash"] = (":namespace", () => Topic(() => MqttTopicTemplate.Parse("a/:namespace").Bind(Device with { Namespace = "ns#" })), "MqttTopicException: The value \"ns#\" of :namespace would put the wildcard \"#\" into the topic; a value cannot contain \"+\", \"#\" or U+0000."),
        ["bind uid with NUL"] = (":uid", () => Topic(() => MqttTopicTemplate.Parse("a/:uid").Bind(Device with { Uid = "u\0id" })), "MqttTopicException: The value \"u\\0id\" of :uid would put U+0000 into the topic; a value cannot contain \"+\", \"#\" or U+0000."),
        ["bind path with plus"] = (":path", () => Topic(() => MqttTopicTemplate.Parse("a/:path").Bind(Device, new MqttMessageSettings { Topic = "a/:path", Path = "x/+/y" })), "MqttTopicException: The value \"x/+/y\" of :path would put the wildcard \"+\" into the topic; a value cannot contain \"+\", \"#\" or U+0000."),
        ["render map value with hash"] = (":gear", () => Topic(() => MqttTopicTemplate.Parse("a/:gear").Bind(Device).RenderForPublish(new Dictionary<string, string> { ["gear"] = "#" })), "MqttTopicException: The value \"#\" of :gear would put the wildcard \"#\" into the topic; a value cannot contain \"+\", \"#\" or U+0000."),
        ["render publish wildcard"] = ("+", () => Topic(() => MqttTopicTemplate.Parse("a/+/b").Bind(Device).RenderForPublish()), "MqttTopicException: The topic template \"a/+/b\" has the wildcard level \"+\"; a publish topic cannot contain wildcards."),
        ["render everything vanished"] = ("\":gear\"", () => Topic(() => MqttTopicTemplate.Parse(":gear").Bind(Device).RenderForPublish()), "MqttTopicException: The topic template \":gear\" renders an empty publish topic: every level vanished."),
        ["render too long"] = ("\"a/:name\"", () => Topic(() => MqttTopicTemplate.Parse("a/:name").Bind(Device with { Name = new string('n', 70_000) }).RenderForSubscribe()), "MqttTopicException: The subscribe topic rendered from the template \"a/:name\" is 70002 UTF-8 bytes long; MQTT allows at most 65535."),

        // ---- references: MqttCredentialsBuilder.BuildAsync with InMemoryReferenceResolver ----
        ["ref reference missing"] = ("client.basicAuth.passwordRef", () => Credentials(Auth(new() { Username = "u", PasswordRef = Ref("absent", "pw") }), Store()), "MqttCredentialsException: client.basicAuth.passwordRef: reference \"absent\" has no item \"pw\" (or it is empty)"),
        ["ref empty value"] = ("client.basicAuth.usernameRef", () => Credentials(Auth(new() { UsernameRef = Ref("auth", "user"), Password = "p" }), Store(("auth", "user", ""))), "MqttCredentialsException: client.basicAuth.usernameRef: reference \"auth\" has no item \"user\" (or it is empty)"),
        ["ref whitespace item"] = ("client.basicAuth.passwordRef", () => Credentials(Auth(new() { Username = "u", PasswordRef = Ref("auth", " ") }), Store()), "MqttCredentialsException: client.basicAuth.passwordRef: reference \"auth\" has no item \" \" (or it is empty)"),
        ["ref ca wrong item"] = ("client.tlsConfig.caFilePEMRef", () => Credentials(Tls(new() { CaFilePEMRef = Ref("tls", "ca.pem") }), Store(("tls", "ca.crt", CertPem))), "MqttCredentialsException: client.tlsConfig.caFilePEMRef: reference \"tls\" has no item \"ca.pem\" (or it is empty)"),
        ["ref key missing"] = ("client.tlsConfig.keyFilePEMRef", () => Credentials(Tls(new() { CertFilePEM = ClientPem, KeyFilePEMRef = Ref("tls", "tls.key") }), Store()), "MqttCredentialsException: client.tlsConfig.keyFilePEMRef: reference \"tls\" has no item \"tls.key\" (or it is empty)"),

        // ---- PEM: bad CA / key / cert in tlsConfig ----
        ["pem ca plain text"] = ("client.tlsConfig.caFilePEM", () => Credentials(Tls(new() { CaFilePEM = "not a certificate" })), "MqttCredentialsException: client.tlsConfig.caFilePEM: contains no PEM certificate (expected -----BEGIN CERTIFICATE-----)"),
        ["pem ca bad base64"] = ("client.tlsConfig.caFilePEM", () => Credentials(Tls(new() { CaFilePEM = "-----BEGIN CERTIFICATE-----\n@@@@\n-----END CERTIFICATE-----\n" })), "MqttCredentialsException: client.tlsConfig.caFilePEM: has a PEM block that cannot be decoded (check its BEGIN and END lines and its base64)"),
        ["pem ca no end line"] = ("client.tlsConfig.caFilePEM", () => Credentials(Tls(new() { CaFilePEM = CertPem[..CertPem.IndexOf("-----END", StringComparison.Ordinal)] })), "MqttCredentialsException: client.tlsConfig.caFilePEM: has a PEM block that cannot be decoded (check its BEGIN and END lines and its base64)"),
        ["pem ca valid base64 not DER"] = ("client.tlsConfig.caFilePEM", () => Credentials(Tls(new() { CaFilePEM = "-----BEGIN CERTIFICATE-----\nAAAAAAAA\n-----END CERTIFICATE-----\n" })), "MqttCredentialsException: client.tlsConfig.caFilePEM: has a CERTIFICATE block (#1) that is not a valid X.509 certificate"),
        ["pem cert is a key"] = ("client.tlsConfig.certFilePEM", () => Credentials(Tls(new() { CertFilePEM = KeyPem, KeyFilePEM = KeyPem })), "MqttCredentialsException: client.tlsConfig.certFilePEM: contains no PEM certificate (expected -----BEGIN CERTIFICATE-----)"),
        ["pem key is a certificate"] = ("client.tlsConfig.keyFilePEM", () => Credentials(Tls(new() { CertFilePEM = ClientPem, KeyFilePEM = ClientPem })), "MqttCredentialsException: client.tlsConfig.keyFilePEM: contains no PEM private key (expected PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)"),
        ["pem key plain text"] = ("client.tlsConfig.keyFilePEM", () => Credentials(Tls(new() { CertFilePEM = ClientPem, KeyFilePEM = "hunter2" })), "MqttCredentialsException: client.tlsConfig.keyFilePEM: contains no PEM private key (expected PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)"),
        ["pem key not DER"] = ("client.tlsConfig.keyFilePEM", () => Credentials(Tls(new() { CertFilePEM = ClientPem, KeyFilePEM = "-----BEGIN PRIVATE KEY-----\nAAAAAAAA\n-----END PRIVATE KEY-----\n" })), "MqttCredentialsException: client.tlsConfig.keyFilePEM: has a PRIVATE KEY block that is not a valid PKCS#8 RSA or EC key"),
        ["pem rsa key not DER"] = ("client.tlsConfig.keyFilePEM", () => Credentials(Tls(new() { CertFilePEM = ClientPem, KeyFilePEM = "-----BEGIN RSA PRIVATE KEY-----\nAAAAAAAA\n-----END RSA PRIVATE KEY-----\n" })), "MqttCredentialsException: client.tlsConfig.keyFilePEM: has an RSA PRIVATE KEY block that is not a valid PKCS#1 RSA key"),
        ["pem cert garbage"] = ("client.tlsConfig.certFilePEM", () => Credentials(Tls(new() { CertFilePEM = "-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----\n", KeyFilePEM = KeyPem })), "MqttCredentialsException: client.tlsConfig.certFilePEM: has a PEM block that cannot be decoded (check its BEGIN and END lines and its base64)"),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Fact]
    public void Catalogue_HasAtLeastFiftyBadInputs() => Cases.Count.Should().BeGreaterThanOrEqualTo(50);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task BadInput_IsRefusedWithItsExactMessageNamingTheField(string name)
    {
        var (field, feed, expected) = Cases[name];

        var outcome = await feed();

        outcome.Should().Be(expected);
        expected.Should().Contain(field);
    }

    private static Task<string> Json(string json) => Outcome(() => MqttOptionsJson.Read(json));

    private static Task<string> JsonBytes(byte[] utf8) => Outcome(() => MqttOptionsJson.Read(utf8.AsSpan()));

    private static Task<string> Validate(string json)
    {
        var options = MqttOptionsJson.Read(json).Options;
        options.Client.Server = string.IsNullOrEmpty(options.Client.Server) ? "tcp://broker:1883" : options.Client.Server;
        options.Message.Topic = string.IsNullOrEmpty(options.Message.Topic) ? "cattle.io/octopus/:namespace/:name" : options.Message.Topic;
        return Task.FromResult(string.Join("\n", MqttOptionsValidator.GetProblems(options).Select(p => p.ToString())));
    }

    private static Task<string> Server(string? server) => Outcome(() => ServerAddress.Parse(server));

    private static Task<string> Duration(string text) => Outcome(() => GoDuration.Parse(text));

    private static Task<string> Topic(Func<object> act) => Outcome(act);

    private static async Task<string> Credentials(MqttClientSettings client, IReferenceResolver? references = null)
    {
        try
        {
            _ = await MqttCredentialsBuilder.BuildAsync(client, references, TestContext.Current.CancellationToken);
            return "accepted";
        }
        catch (Exception exception)
        {
            return Describe(exception);
        }
    }

    private static Task<string> Outcome(Func<object> act)
    {
        try
        {
            act();
            return Task.FromResult("accepted");
        }
        catch (Exception exception)
        {
            return Task.FromResult(Describe(exception));
        }
    }

    private static string Describe(Exception exception) => exception switch
    {
        MqttOptionsException options => nameof(MqttOptionsException) + ": " + string.Join("\n", options.Problems.Select(p => p.Message)),
        _ => exception.GetType().Name + ": " + exception.Message,
    };

    private static MqttClientSettings Auth(MqttBasicAuthSettings auth) => new() { Server = "tcp://broker:1883", BasicAuth = auth };

    private static MqttClientSettings Tls(MqttTlsSettings tls) => new() { Server = "ssl://broker:8883", TlsConfig = tls };

    private static DeviceLinkReference Ref(string name, string item) => new() { Name = name, Item = item };

    private static InMemoryReferenceResolver Store(params (string Name, string Item, string Value)[] items)
    {
        var resolver = new InMemoryReferenceResolver();
        foreach (var (n, i, v) in items)
        {
            resolver.Add(n, i, v);
        }

        return resolver;
    }

    private static InMemoryReferenceResolver Raw(string name, string item, byte[] value) => new() { { name, item, value } };
}
