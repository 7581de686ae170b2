using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Octopus.Mqtt.Tests.Connection;

namespace Octopus.Mqtt.Tests.Diagnostics;

/// <summary>A logger, a metrics listener and a state handler that throw cost log lines and measurements, never a message or a reconnect.</summary>
public sealed class FaultIsolationTests : IAsyncDisposable
{
    private const string Template = "cattle.io/octopus/:namespace/:name";
    private readonly TelemetryHarness _harness = new(Template);
    private readonly MeterListener _listener = new();
    private int _measurementsRefused;

    public FaultIsolationTests()
    {
        _harness.Logger = new ThrowingLogger();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == _harness.MeterFactory)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, _, _, _) =>
        {
            Interlocked.Increment(ref _measurementsRefused);
            throw new InvalidOperationException("listener failure");
        });
        _listener.SetMeasurementEventCallback<double>((_, _, _, _) => throw new InvalidOperationException("listener failure"));
        _listener.Start();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Client_LoggerAndListenersThrow_PublishesReconnectsAndPublishesAgain()
    {
        var client = await _harness.ConnectedAsync();
        client.StateChanged += (_, _) => throw new InvalidOperationException("handler failure");

        (await client.PublishAsync(new byte[] { 1 }, null, Ct)).Should().BeSameAs(MqttPublishResult.Delivered);
        await _harness.Broker.Current.DropAsync();
        await Eventually.TrueAsync(() => _harness.Time.HasTimerDueIn(TimeSpan.FromSeconds(1)), "the reconnect is scheduled");
        _harness.Time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => client.State == MqttConnectionState.Connected, "reconnected");

        (await client.PublishAsync(new byte[] { 2 }, null, Ct)).Should().BeSameAs(MqttPublishResult.Delivered);
        _harness.Broker.Published.Select(m => m.Payload[0]).Should().Equal(1, 2);
        _measurementsRefused.Should().BeGreaterThan(0, "the listener saw (and refused) the client's measurements");
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await _harness.DisposeAsync();
    }

    private sealed class ThrowingLogger : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => throw new InvalidOperationException("logger failure");

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            throw new InvalidOperationException("logger failure");
    }
}
