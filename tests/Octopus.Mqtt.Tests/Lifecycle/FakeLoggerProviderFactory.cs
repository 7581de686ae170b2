using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Octopus.Mqtt.Tests.Lifecycle;

/// <summary>A logger factory whose loggers all write to one <see cref="FakeLogCollector"/>.</summary>
internal sealed class FakeLoggerProviderFactory(FakeLogCollector collector) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new FakeLogger(collector, categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }
}
