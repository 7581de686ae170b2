namespace Octopus.Mqtt.Tests.Publishing;

public sealed class DeviceClientPlanTests
{
    private static readonly DeviceIdentity Device = new("default", "fan", "9e8efcb0-4b79-45e7-a4c4-3349562292e3");

    [Fact]
    public void Create_InvalidOptions_ThrowsEveryErrorWithTheWarnings()
    {
        var options = new MqttOptions();
        options.Client.Server = "tcp://broker:1883";
        options.Client.KeepAlive = GoDuration.Parse("19h");
        options.Client.ResumeSubs = true;

        var failure = FluentActions.Invoking(() => DeviceClientPlan.Create(Device, options)).Should().Throw<MqttOptionsException>().Which;

        failure.Problems.Select(p => p.Message).Should().Equal(
            "client.keepAlive: \"19h0m0s\" is too long; allowed: up to 65535s (18h12m15s), the most MQTT can carry",
            "message.topic: is required; e.g. cattle.io/octopus/:namespace/:name");
        failure.Warnings.Select(p => p.Message).Should().Equal("client.resumeSubs: has no effect while client.cleanSession is true");
    }

    [Fact]
    public void Create_ValidOptions_BindsTopicAddressWillAndClientIdOnce()
    {
        var options = new MqttOptions();
        options.Client.Server = "tcp://broker:1883";
        options.Client.ProtocolVersion = 3;
        options.Client.KeepAlive = GoDuration.Parse("1500ms");
        options.Message.Topic = "cattle.io/octopus/:namespace/:name";
        options.Message.Will = new MqttWillSettings { Topic = "cattle.io/octopus/:namespace/:name/will", Content = "offline"u8.ToArray() };

        var plan = DeviceClientPlan.Create(Device, options);
        var connect = plan.CreateConnectOptions(plan.Address, MqttCredentials.None, mqtt31Fallback: false);

        plan.Address.Host.Should().Be("broker");
        plan.ClientId.Should().Be(plan.Topic.ClientIdForMqtt31);
        plan.Will!.Topic.Should().Be("cattle.io/octopus/default/fan/will");
        connect.ClientId.Should().Be(plan.ClientId);
        connect.KeepAlivePeriod.Should().Be(TimeSpan.FromSeconds(2));
        connect.ProtocolVersion.Should().Be(MQTTnet.Formatter.MqttProtocolVersion.V310);
        connect.WillTopic.Should().Be("cattle.io/octopus/default/fan/will");
    }
}
