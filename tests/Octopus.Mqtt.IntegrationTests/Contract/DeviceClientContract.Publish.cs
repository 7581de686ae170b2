namespace Octopus.Mqtt.IntegrationTests.Contract;

public abstract partial class DeviceClientContract
{
    private const string OperatorTemplate = "cattle.io/octopus/:operator/device/:namespace/:name/:path";

    private sealed record FanStatus(string Gear, int RotatingSpeed);

    private static void StatusAndSet(MqttOptions options) =>
        options.Message.Operator = new MqttTopicOperator { Read = "status", Write = "set" };

    [Fact]
    public async Task PublishAsync_Defaults_RenderedTopicQos1RetainedCamelCaseJson()
    {
        var client = await ConnectAsync();

        var result = await client.PublishAsync(new FanStatus("slow", 1), Ct);

        result.Should().BeSameAs(MqttPublishResult.Delivered);
        var message = (await WaitUntilPublishedAsync(all => all.Count > 0, "the status")).Single();
        message.Should().Be(new Brokers.ReceivedMessage(FanTopic, message.Payload, MqttQos.AtLeastOnce, true, FanClientId));
        message.PayloadText.Should().Be("""{"gear":"slow","rotatingSpeed":1}""");
        client.ClientId.Should().Be(FanClientId);
    }

    [Fact]
    public async Task PublishAsync_StringAndBytes_StringIsJsonBytesAsTheyAre()
    {
        var client = await ConnectAsync();

        await client.PublishAsync("tested", Ct);
        await client.PublishAsync(Bytes("raw"), Ct);
        await client.PublishAsync((ReadOnlyMemory<byte>)Bytes("""{"on":true}"""), Ct);

        (await WaitForPayloadsAsync(FanClientId, 3)).Should().Equal("\"tested\"", "raw", """{"on":true}""");
    }

    [Fact]
    public async Task PublishAsync_PerCallOptions_OverrideTopicQosAndRetain()
    {
        var client = await ConnectAsync(Options(OperatorTemplate, StatusAndSet));

        await client.PublishAsync(Bytes("a"), new MqttPublishOptions { RenderMap = Map("path", "gear"), Qos = MqttQos.ExactlyOnce, Retained = false }, Ct);
        await client.PublishAsync(Bytes("b"), new MqttPublishOptions { Qos = MqttQos.AtMostOnce }, Ct);
        await client.PublishAsync(Bytes("c"), new MqttPublishOptions { RenderMap = Map("operator", string.Empty) }, Ct);

        var messages = await WaitUntilPublishedAsync(all => all.Count >= 3, "three messages");
        messages.Select(m => (m.Topic, m.PayloadText, m.Qos, m.Retain)).Should().Equal(
            ("cattle.io/octopus/set/device/default/fan/gear", "a", MqttQos.ExactlyOnce, false),
            ("cattle.io/octopus/set/device/default/fan", "b", MqttQos.AtMostOnce, true),
            ("cattle.io/octopus/device/default/fan", "c", MqttQos.AtLeastOnce, true));
    }

    [Fact]
    public async Task PublishAsync_ProtocolVersion3_PublishesWithThe23CharacterClientId()
    {
        var client = await ConnectAsync(Options(configure: o => o.Client.ProtocolVersion = 3));

        await client.PublishAsync("x", Ct);

        client.ClientId.Should().Be("octopus-efcb04957c34593");
        (await WaitForPayloadsAsync("octopus-efcb04957c34593", 1)).Should().Equal("\"x\"");
    }

    [Fact]
    public async Task PublishAsync_SubscribeOnlyTemplate_ThrowsTheTopicError()
    {
        var client = await ConnectAsync(Options("cattle.io/octopus/+/:name"));

        var publish = () => client.PublishAsync("x", Ct).AsTask();

        await publish.Should().ThrowAsync<MqttTopicException>()
            .WithMessage("The topic template \"cattle.io/octopus/+/:name\" has the wildcard level \"+\"; a publish topic cannot contain wildcards.");
    }

    [Fact]
    public async Task PublishAsync_InjectingRenderMap_ThrowsTheTopicError()
    {
        var client = await ConnectAsync(Options(OperatorTemplate));

        var publish = () => client.PublishAsync("x", new MqttPublishOptions { RenderMap = Map("path", "a/#") }, Ct).AsTask();

        await publish.Should().ThrowAsync<MqttTopicException>()
            .WithMessage("The value \"a/#\" of :path would put the wildcard \"#\" into the topic; a value cannot contain \"+\", \"#\" or U+0000.");
    }

    [Fact]
    public async Task PublishAsync_BadQos_Throws()
    {
        var client = await ConnectAsync();

        var publish = () => client.PublishAsync("x", new MqttPublishOptions { Qos = (MqttQos)3 }, Ct).AsTask();

        await publish.Should().ThrowAsync<ArgumentException>().WithMessage("The QoS 3 is not 0, 1 or 2. (Parameter 'options')");
    }

    [Fact]
    public async Task PublishAsync_BeforeConnect_QueuedThenDeliveredOnConnect()
    {
        var client = Create();

        (await client.PublishAsync("early", Ct)).Should().BeSameAs(MqttPublishResult.Queued);
        await client.ConnectAsync(Ct);

        (await WaitForPayloadsAsync(FanClientId, 1)).Should().Equal("\"early\"");
    }
}
