using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using Octopus.Mqtt.Tests.Lifecycle;
using static Octopus.Mqtt.Tests.Lifecycle.LifecycleOptions;

namespace Octopus.Mqtt.Tests.HealthChecks;

public sealed class MqttDevicesHealthCheckTests
{
    private readonly StubClientFactory _factory = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CheckHealthAsync_EveryDeviceConnected_IsHealthy()
    {
        await using var provider = CreateProvider();
        var links = provider.GetRequiredService<IMqttDeviceLinks>();
        await links.ConfigureAsync(Fan, Create(), null, Token);
        await links.ConfigureAsync(Lamp, Create(), null, Token);

        var entry = await CheckAsync(provider);

        entry.Status.Should().Be(HealthStatus.Healthy);
        entry.Description.Should().Be("2 MQTT device(s) connected.");
        entry.Data.Should().BeEquivalentTo(new Dictionary<string, object> { ["default/fan"] = "Connected", ["default/lamp"] = "Connected" });
    }

    [Fact]
    public async Task CheckHealthAsync_NoDevice_IsHealthy()
    {
        await using var provider = CreateProvider();

        var entry = await CheckAsync(provider);

        entry.Status.Should().Be(HealthStatus.Healthy);
        entry.Description.Should().Be("0 MQTT device(s) connected.");
    }

    [Fact]
    public async Task CheckHealthAsync_OneReconnectingWithinTheThreshold_IsDegraded()
    {
        await using var provider = CreateProvider();
        var links = provider.GetRequiredService<IMqttDeviceLinks>();
        var fan = (StubDeviceClient)(await links.ConfigureAsync(Fan, Create(), null, Token))!;
        await links.ConfigureAsync(Lamp, Create(), null, Token);
        fan.SetState(MqttConnectionState.Reconnecting);
        _time.Advance(TimeSpan.FromSeconds(30));

        var entry = await CheckAsync(provider);

        entry.Status.Should().Be(HealthStatus.Degraded);
        entry.Description.Should().Be("1 of 2 MQTT device(s) not connected: default/fan Reconnecting for 00:00:30.");
        entry.Data["default/fan"].Should().Be("Reconnecting");
        entry.Data["default/lamp"].Should().Be("Connected");
    }

    [Fact]
    public async Task CheckHealthAsync_OneDisconnectedPastTheThreshold_ReportsTheFailureStatus()
    {
        await using var provider = CreateProvider();
        var links = provider.GetRequiredService<IMqttDeviceLinks>();
        var fan = (StubDeviceClient)(await links.ConfigureAsync(Fan, Create(), null, Token))!;
        fan.SetState(MqttConnectionState.Reconnecting);
        _time.Advance(TimeSpan.FromMinutes(2));

        var entry = await CheckAsync(provider);

        entry.Status.Should().Be(HealthStatus.Unhealthy);
        entry.Description.Should().Be("1 of 1 MQTT device(s) not connected for longer than 00:01:00: default/fan Reconnecting for 00:02:00.");
    }

    [Fact]
    public async Task CheckHealthAsync_ReconnectedAfterAnOutage_IsHealthyAgain()
    {
        await using var provider = CreateProvider();
        var links = provider.GetRequiredService<IMqttDeviceLinks>();
        var fan = (StubDeviceClient)(await links.ConfigureAsync(Fan, Create(), null, Token))!;
        fan.SetState(MqttConnectionState.Reconnecting);
        _time.Advance(TimeSpan.FromMinutes(2));
        fan.SetState(MqttConnectionState.Connected);

        var entry = await CheckAsync(provider);

        entry.Status.Should().Be(HealthStatus.Healthy);
    }

    [Fact]
    public async Task AddOctopusMqtt_CustomThresholdAndFailureStatus_AreUsed()
    {
        await using var provider = CreateProvider(checks => checks.AddOctopusMqtt("mqtt", o => o.UnhealthyAfter = TimeSpan.FromSeconds(5), HealthStatus.Degraded, ["ready"]));
        var links = provider.GetRequiredService<IMqttDeviceLinks>();
        var fan = (StubDeviceClient)(await links.ConfigureAsync(Fan, Create(), null, Token))!;
        fan.SetState(MqttConnectionState.Disconnected);
        _time.Advance(TimeSpan.FromSeconds(6));

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(Token);

        var entry = report.Entries["mqtt"];
        entry.Status.Should().Be(HealthStatus.Degraded);
        entry.Tags.Should().Equal("ready");
        entry.Description.Should().Be("1 of 1 MQTT device(s) not connected for longer than 00:00:05: default/fan Disconnected for 00:00:06.");
    }

    [Fact]
    public void AddOctopusMqtt_NegativeThreshold_Throws()
    {
        var services = new ServiceCollection();

        var add = () => services.AddHealthChecks().AddOctopusMqtt(configure: o => o.UnhealthyAfter = TimeSpan.FromSeconds(-1));

        add.Should().Throw<ArgumentException>().WithMessage("UnhealthyAfter: -00:00:01 is negative; allowed: zero or more.*").And.ParamName.Should().Be("configure");
    }

    private static async Task<HealthReportEntry> CheckAsync(ServiceProvider provider)
    {
        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(Token);
        return report.Entries["octopus-mqtt"];
    }

    private ServiceProvider CreateProvider(Action<IHealthChecksBuilder>? checks = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddSingleton<IMqttDeviceClientFactory>(_factory);
        services.AddLogging();
        services.AddOctopusMqtt();
        var builder = services.AddHealthChecks();
        if (checks is null)
        {
            builder.AddOctopusMqtt();
        }
        else
        {
            checks(builder);
        }

        return services.BuildServiceProvider();
    }
}
