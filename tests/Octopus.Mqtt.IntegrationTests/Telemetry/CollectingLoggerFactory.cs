using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Octopus.Mqtt.IntegrationTests.Telemetry;

/// <summary>A logger factory whose loggers, every level enabled, all write to one <see cref="FakeLogCollector"/>.</summary>
internal sealed class CollectingLoggerFactory : ILoggerFactory
{
    public FakeLogCollector Collector { get; } = new();

    public ILogger CreateLogger(string categoryName) => new FakeLogger(Collector, categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }
}
