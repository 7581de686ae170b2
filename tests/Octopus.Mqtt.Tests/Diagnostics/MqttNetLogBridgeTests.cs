using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using MQTTnet.Diagnostics.Logger;

namespace Octopus.Mqtt.Tests.Diagnostics;

public sealed class MqttNetLogBridgeTests
{
    [Theory]
    [InlineData(MqttNetLogLevel.Verbose, LogLevel.Trace)]
    [InlineData(MqttNetLogLevel.Info, LogLevel.Debug)]
    [InlineData(MqttNetLogLevel.Warning, LogLevel.Information)]
    [InlineData(MqttNetLogLevel.Error, LogLevel.Warning)]
    public void Publish_EachLevel_LogsOneLevelLower(MqttNetLogLevel level, LogLevel expected)
    {
        var logger = new FakeLogger();
        var bridge = new MqttNetLogBridge(logger, "octopus-1");

        bridge.Publish(level, "MqttClient", "Sent {0} bytes", [42], null!);

        var record = logger.LatestRecord;
        record.Level.Should().Be(expected);
        record.Id.Id.Should().Be(1450);
        record.Message.Should().Be("MQTTnet (octopus-1, MqttClient): Sent 42 bytes");
    }

    [Fact]
    public void Publish_WithException_PassesItOn()
    {
        var logger = new FakeLogger();
        var bridge = new MqttNetLogBridge(logger, "octopus-1");
        var error = new InvalidOperationException("boom");

        bridge.Publish(MqttNetLogLevel.Error, "MqttClient", "Receiving failed.", [], error);

        logger.LatestRecord.Exception.Should().BeSameAs(error);
        logger.LatestRecord.Message.Should().Be("MQTTnet (octopus-1, MqttClient): Receiving failed.");
    }

    [Fact]
    public void Publish_TemplateNotMatchingItsParameters_KeepsTheTemplate()
    {
        var logger = new FakeLogger();
        var bridge = new MqttNetLogBridge(logger, "octopus-1");

        bridge.Publish(MqttNetLogLevel.Info, "MqttClient", "Value {1}", ["only one"], null!);

        logger.LatestRecord.Message.Should().Be("MQTTnet (octopus-1, MqttClient): Value {1}");
    }

    [Fact]
    public void Publish_LevelDisabled_LogsNothing()
    {
        var collector = FakeLogCollector.Create(new FakeLogCollectorOptions());
        var logger = new FakeLogger(collector);
        logger.ControlLevel(LogLevel.Trace, false);
        var bridge = new MqttNetLogBridge(logger, "octopus-1");

        bridge.Publish(MqttNetLogLevel.Verbose, "MqttClient", "chatter", [], null!);

        collector.Count.Should().Be(0);
        bridge.IsEnabled.Should().BeTrue("warnings are still enabled");
    }
}
