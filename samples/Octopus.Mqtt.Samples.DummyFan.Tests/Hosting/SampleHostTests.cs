using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Octopus.Mqtt.Samples.DummyFan.Tests.Hosting;

public sealed class SampleHostTests : IDisposable
{
    private const string Topic = "cattle.io/octopus/default/living-room-fan";
    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(20);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly LineRecorder _output = new();
    private readonly TempDirectory _directory = new();

    public void Dispose()
    {
        _output.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task Host_EmbeddedBroker_PrintsEveryStatusASubscriberSees()
    {
        using var host = Build(new SampleCommandLine { BrokerPort = FreePort() });

        await host.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            await _output.WaitForLineAsync(l => l.EndsWith("""{"gear":"slow","rotatingSpeed":0}""", StringComparison.Ordinal), Arrival);

            // A few simulated seconds: slow gear rises by one every 3 seconds.
            _time.Advance(TimeSpan.FromSeconds(3));
            await _output.WaitForLineAsync(l => l.EndsWith("""{"gear":"slow","rotatingSpeed":1}""", StringComparison.Ordinal), Arrival);
            _time.Advance(TimeSpan.FromSeconds(3));
            await _output.WaitForLineAsync(l => l.EndsWith("""{"gear":"slow","rotatingSpeed":2}""", StringComparison.Ordinal), Arrival);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }

        // The DeviceLink asks for MQTT 3.1.1 (protocolVersion 0), which clears the retain flag of messages forwarded live.
        _output.Lines.Should().Equal(
            $$"""12:00:00 {{Topic}} qos=1 retain=false {"gear":"slow","rotatingSpeed":0}""",
            $$"""12:00:03 {{Topic}} qos=1 retain=false {"gear":"slow","rotatingSpeed":1}""",
            $$"""12:00:06 {{Topic}} qos=1 retain=false {"gear":"slow","rotatingSpeed":2}""");
    }

    [Fact]
    public async Task Host_DeviceLinkEdited_AppliesTheNewGear()
    {
        var file = _directory.Write("fan.yaml", File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "devicelink.yaml")));
        using var host = Build(new SampleCommandLine { BrokerPort = FreePort(), DeviceLink = file });

        await host.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            await _output.WaitForLineAsync(l => l.EndsWith("""{"gear":"slow","rotatingSpeed":0}""", StringComparison.Ordinal), Arrival);

            File.WriteAllText(file, File.ReadAllText(file).Replace("gear: slow", "gear: fast", StringComparison.Ordinal));

            await _output.WaitForLineAsync(l => l.EndsWith("""{"gear":"fast","rotatingSpeed":200}""", StringComparison.Ordinal), Arrival);
            _time.Advance(TimeSpan.FromSeconds(1));
            await _output.WaitForLineAsync(l => l.EndsWith("""{"gear":"fast","rotatingSpeed":201}""", StringComparison.Ordinal), Arrival);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Host_DurationElapsed_StopsByItself()
    {
        using var host = Build(new SampleCommandLine { BrokerPort = FreePort(), Duration = TimeSpan.FromSeconds(5) });

        var run = host.RunAsync(TestContext.Current.CancellationToken);
        await _output.WaitForLineAsync(l => l.EndsWith("""{"gear":"slow","rotatingSpeed":0}""", StringComparison.Ordinal), Arrival);
        _time.Advance(TimeSpan.FromSeconds(4));
        run.IsCompleted.Should().BeFalse();

        _time.Advance(TimeSpan.FromSeconds(1));

        await run.WaitAsync(Arrival, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task RunAsync_UnusableDeviceLink_ExitsWithOneAndNamesTheProblem()
    {
        var file = _directory.Write("fan.yaml", File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "devicelink.yaml"))
            .Replace("gear: slow", "gear: turbo", StringComparison.Ordinal));
        using var error = new StringWriter();

        var exitCode = await SampleHost.RunAsync(["--devicelink", file], _output, error, TestContext.Current.CancellationToken);

        exitCode.Should().Be(1);
        error.ToString().Should().Be($"error: {file} cannot be used:\n  spec.template.spec.gear: \"turbo\" is not a gear; allowed: slow, middle, fast\n");
        _output.Lines.Should().BeEmpty();
    }

    [Fact]
    public async Task RunAsync_WrongCommandLine_ExitsWithTwoAndShowsTheUsage()
    {
        using var error = new StringWriter();

        var exitCode = await SampleHost.RunAsync(["--port", "1"], _output, error, TestContext.Current.CancellationToken);

        exitCode.Should().Be(2);
        error.ToString().Should().StartWith("error: unknown argument --port;").And.Contain("Usage: dotnet run --project samples/Octopus.Mqtt.Samples.DummyFan");
    }

    [Fact]
    public async Task RunAsync_Help_ShowsTheUsage()
    {
        using var error = new StringWriter();

        var exitCode = await SampleHost.RunAsync(["--help"], _output, error, TestContext.Current.CancellationToken);

        exitCode.Should().Be(0);
        _output.Lines[0].Should().Be("Usage: dotnet run --project samples/Octopus.Mqtt.Samples.DummyFan [-- OPTIONS]");
        error.ToString().Should().BeEmpty();
    }

    private IHost Build(SampleCommandLine commandLine)
    {
        var builder = SampleHost.CreateBuilder(commandLine, _output);
        builder.Logging.ClearProviders();
        builder.Services.RemoveAll<TimeProvider>();
        builder.Services.AddSingleton<TimeProvider>(_time);
        return builder.Build();
    }

    private static int FreePort()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }
}
