using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Octopus.Mqtt.Samples.DummyFan;

/// <summary>Builds and runs the sample's host: the embedded broker (unless <c>--server</c>), the printer, and the fan's adaptor fed with its DeviceLink file.</summary>
internal static class SampleHost
{
    /// <summary>Runs the sample until Ctrl+C, <c>--duration</c> or <paramref name="cancellationToken"/>.</summary>
    /// <returns>0; 1 when the DeviceLink cannot be used or the broker cannot be reached; 2 for a wrong command line.</returns>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        if (SampleCommandLine.Parse(args, out var problem) is not { } commandLine)
        {
            await error.WriteLineAsync($"error: {problem}\n\n{SampleCommandLine.Usage}");
            return 2;
        }

        if (commandLine.Help)
        {
            await output.WriteLineAsync(SampleCommandLine.Usage);
            return 0;
        }

        try
        {
            // Check the DeviceLink before starting anything (the embedded broker replaces client.server later).
            _ = FanDeviceLinkReader.Read(commandLine.DeviceLink, commandLine.Server ?? "tcp://127.0.0.1:1883");
        }
        catch (DeviceLinkException e)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return 1;
        }

        using var host = CreateBuilder(commandLine, output).Build();
        var exitCode = host.Services.GetRequiredService<SampleExitCode>();
        await host.RunAsync(cancellationToken);
        return exitCode.Value;
    }

    /// <summary>Creates the host builder; tests replace services (the clock, the MQTT client factory) before building.</summary>
    public static HostApplicationBuilder CreateBuilder(SampleCommandLine commandLine, TextWriter output)
    {
        // The sample reads its own command line; the host gets no arguments, so none turns into configuration.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ApplicationName = "Octopus.Mqtt.Samples.DummyFan" });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);

        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new SampleOutput(output));
        services.AddSingleton<SampleExitCode>();
        if (commandLine.Server is { } server)
        {
            services.AddSingleton(new DeviceLinkSource(commandLine.DeviceLink, () => server));
        }
        else
        {
            // First registered, so it starts first and stops last.
            services.AddSingleton(sp => new EmbeddedBroker(sp.GetRequiredService<ILogger<EmbeddedBroker>>(), commandLine.BrokerPort));
            services.AddHostedService(sp => sp.GetRequiredService<EmbeddedBroker>());
            services.AddSingleton(sp => new DeviceLinkSource(commandLine.DeviceLink, () => sp.GetRequiredService<EmbeddedBroker>().Server));
        }

        // Octopus.Mqtt, registered after the broker so that it stops first: every device disconnects gracefully.
        #region snippet:register
        services.AddOctopusMqtt();
        #endregion

        services.AddSingleton<DummyFan>();
        services.AddHostedService<MessagePrinter>();
        services.AddSingleton<FanAdaptor>();
        services.AddHostedService<DeviceLinkReconciler>();
        if (commandLine.Duration is { } duration)
        {
            services.AddHostedService(sp => new DurationLimit(duration, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IHostApplicationLifetime>()));
        }

        return builder;
    }
}
