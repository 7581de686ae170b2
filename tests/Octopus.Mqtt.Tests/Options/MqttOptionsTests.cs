namespace Octopus.Mqtt.Tests.Options;

public sealed class MqttOptionsTests
{
    [Fact]
    public void Constructor_Fresh_HasTheContractDefaults()
    {
        var options = new MqttOptions();

        options.Client.Server.Should().BeEmpty();
        options.Message.Topic.Should().BeEmpty();
        ShouldHaveContractDefaults(options);
    }

    [Fact]
    public void ToString_EveryField_NeverShowsSecrets()
    {
        var options = OptionsDocuments.FullOptions();
        options.Client.Server = "tcp://adaptor:uri-pa55@broker:1883";
        options.Client.Servers![0] = "tcp://adaptor:uri-pa55@broker-2:1883";

        var text = options.ToString();

        text.Should().Be(
            "client: {server=tcp://***@broker:1883, servers=tcp://***@broker-2:1883,wss://broker-3.example:8443/mqtt, protocolVersion=5, basicAuth={username=adaptor, password=***}, "
            + "tlsConfig={ca=(inline), cert=(inline), key=***, serverName=broker.internal, insecureSkipVerify=True}, "
            + "cleanSession=false, store=File:/var/lib/mqtt, resumeSubs=true, connectTimeout=45s, keepAlive=1m30s, pingTimeout=2.5s, "
            + "order=false, writeTimeout=300ms, waitTimeout=1h0m0s, disconnectQuiesce=750ms, autoReconnect=false, "
            + "maxReconnectInterval=2h45m0s, stableConnectionTime=45s, messageChannelDepth=250, httpHeaders=Authorization,X-Trace}, "
            + "message: {topic=cattle.io/octopus/:namespace/:name, qos=0, retained=false, path=region/ap, operator=read:status,write:set, "
            + "will={topic=cattle.io/octopus/:namespace/:name/gone, content=7 bytes, qos=2, retained=false}}");
        text.Should().NotContain(OptionsDocuments.Password).And.NotContain("K3Y-S3CR3T").And.NotContain("uri-pa55").And.NotContain("t0k3n");
    }

    [Fact]
    public void ToString_Defaults_DescribesThem() =>
        OptionsDocuments.Minimal().ToString().Should().Be(
            "client: {server=tcp://broker:1883, servers=(none), protocolVersion=0, basicAuth=(none), tlsConfig=(none), cleanSession=true, "
            + "store=Memory:/var/run/octopus/mqtt, resumeSubs=false, connectTimeout=30s, keepAlive=30s, pingTimeout=10s, order=true, "
            + "writeTimeout=30s, waitTimeout=0s, disconnectQuiesce=5s, autoReconnect=true, maxReconnectInterval=10m0s, "
            + "stableConnectionTime=0s, messageChannelDepth=100, httpHeaders=(none)}, "
            + "message: {topic=cattle.io/octopus/:namespace/:name, qos=1, retained=true, path=, operator=(none), will=(none)}");

    /// <summary>Asserts every default of /work/shared/CONTRACT.md §1 except the two required fields.</summary>
    internal static void ShouldHaveContractDefaults(MqttOptions options)
    {
        var client = options.Client;
        client.ProtocolVersion.Should().Be(0);
        client.BasicAuth.Should().BeNull();
        client.TlsConfig.Should().BeNull();
        client.CleanSession.Should().BeTrue();
        client.Store.Type.Should().Be(MqttStoreType.Memory);
        client.Store.DirectoryPrefix.Should().Be("/var/run/octopus/mqtt");
        client.ResumeSubs.Should().BeFalse();
        client.ConnectTimeout.Should().Be(GoDuration.Parse("30s"));
        client.KeepAlive.Should().Be(GoDuration.Parse("30s"));
        client.PingTimeout.Should().Be(GoDuration.Parse("10s"));
        client.Order.Should().BeTrue();
        client.WriteTimeout.Should().Be(GoDuration.Parse("30s"));
        client.WaitTimeout.Should().Be(GoDuration.Zero);
        client.DisconnectQuiesce.Should().Be(GoDuration.Parse("5s"));
        client.AutoReconnect.Should().BeTrue();
        client.MaxReconnectInterval.Should().Be(GoDuration.Parse("10m"));
        client.MessageChannelDepth.Should().Be(100);
        client.HttpHeaders.Should().BeNull();

        var message = options.Message;
        message.Qos.Should().Be(MqttQos.AtLeastOnce);
        message.Retained.Should().BeTrue();
        message.Path.Should().BeEmpty();
        message.Operator.Should().BeNull();
        message.Will.Should().BeNull();

        var will = new MqttWillSettings();
        will.Topic.Should().BeNull();
        will.Content.Should().BeEmpty();
        will.Qos.Should().Be(MqttQos.AtLeastOnce);
        will.Retained.Should().BeTrue();
    }
}
