using Microsoft.Extensions.Logging;

namespace Octopus.Mqtt.Samples.DummyFan;

/// <summary>The sample's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Embedded MQTT broker listening on {Server}")]
    public static partial void BrokerStarted(ILogger logger, string server);

    [LoggerMessage(2, LogLevel.Information, "Port {Port} is taken (another broker?); the embedded broker listens on port {FreePort} instead")]
    public static partial void PortTaken(ILogger logger, int port, int freePort);

    [LoggerMessage(3, LogLevel.Information, "Printing every message on {Filter} at {Server}: time, topic, QoS, retain flag, payload")]
    public static partial void PrinterSubscribed(ILogger logger, string filter, string server);

    [LoggerMessage(4, LogLevel.Warning, "Cannot print the messages at {Server}: {Reason}; the fan publishes anyway, the printer tries again")]
    public static partial void PrinterUnavailable(ILogger logger, string server, string reason);

    [LoggerMessage(5, LogLevel.Information, "{Namespace}/{Name}: gear {Gear}, {Power}; status published to {Topic} at {Server} as {ClientId}")]
    public static partial void Configured(ILogger logger, string @namespace, string name, string gear, string power, string topic, string server, string clientId);

    [LoggerMessage(6, LogLevel.Warning, "{Namespace}/{Name}: the DeviceLink has no MQTT extension; the fan runs, its status is not published")]
    public static partial void NoMqtt(ILogger logger, string @namespace, string name);

    [LoggerMessage(7, LogLevel.Warning, "{Warning}")]
    public static partial void DeviceLinkWarning(ILogger logger, string warning);

    [LoggerMessage(8, LogLevel.Error, "The fan cannot start: {Reason}")]
    public static partial void CannotStart(ILogger logger, string reason);

    [LoggerMessage(9, LogLevel.Warning, "The edited DeviceLink is not applied, the fan keeps the one it has: {Reason}")]
    public static partial void EditNotApplied(ILogger logger, string reason);

    [LoggerMessage(10, LogLevel.Warning, "The status {Status} was not delivered: {Result}")]
    public static partial void NotDelivered(ILogger logger, string status, MqttPublishResult result);

    [LoggerMessage(11, LogLevel.Information, "Ctrl+C stops the fan")]
    public static partial void Running(ILogger logger);

    [LoggerMessage(12, LogLevel.Warning, "The printer lost its connection to {Server}; it connects again")]
    public static partial void PrinterDisconnected(ILogger logger, string server);
}
