using System.Diagnostics;
using MQTTnet.Server;

namespace Octopus.Mqtt.Cli.Tests.Connect;

/// <summary>The built tool run as a process and stopped by a signal, as timeout, Docker, systemd and Kubernetes stop it.</summary>
public class SignalTests
{
    private const string Uid = "9e8efcb0-4b79-45e7-a4c4-3349562292e3";

    private const string ClientId = "octopus-9e8efcb04b7945e7a4c43349562292e3";

    private const string WillTopic = "plant/fan/$will";

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task Sub_Signal_DisconnectsGracefullyWithoutTheWill(string signal)
    {
        await using var broker = await TestBroker.StartAsync();
        using var file = WithWill(broker.Server);
        using var sub = StartTool("sub", file.Path, "--name", "fan", "--uid", Uid);
        await Eventually.TrueAsync(() => broker.Subscriptions.Contains("plant/fan") || sub.HasExited, "the subscription");

        Signal(sub, signal);

        await sub.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        sub.ExitCode.Should().Be(0, await sub.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken));
        await Eventually.TrueAsync(() => broker.Disconnects.Any(d => d.ClientId == ClientId), "the disconnect");
        broker.Disconnects.Should().ContainSingle(d => d.ClientId == ClientId).Which.Type.Should().Be(MqttClientDisconnectType.Clean);
        broker.Published.Should().NotContain(m => m.Topic == WillTopic);
    }

    [Fact]
    public async Task Sub_Killed_TheBrokerPublishesTheWill()
    {
        // The control: a process that cannot disconnect leaves the will to the broker, which the test above would see.
        await using var broker = await TestBroker.StartAsync();
        using var file = WithWill(broker.Server);
        using var sub = StartTool("sub", file.Path, "--name", "fan", "--uid", Uid);
        await Eventually.TrueAsync(() => broker.Subscriptions.Contains("plant/fan") || sub.HasExited, "the subscription");

        Signal(sub, "KILL");

        await Eventually.TrueAsync(() => broker.Published.Any(m => m.Topic == WillTopic), "the will");
        await Eventually.TrueAsync(() => broker.Disconnects.Any(d => d.ClientId == ClientId), "the disconnect");
        broker.Disconnects.Should().Contain(d => d.ClientId == ClientId && d.Type == MqttClientDisconnectType.NotClean);
    }

    private static TempFile WithWill(string server) => TempFile.WithText("options.yaml", $"""
        client:
          server: "{server}"
          connectTimeout: 10s
        message:
          topic: "plant/:name"
          will: {"{"}content: b2ZmbGluZQ=={"}"}
        """);

    private static Process StartTool(params string[] args)
    {
        // A job started in the background by a non-interactive shell inherits SIGINT ignored, and so would the tool
        // (the runtime then leaves SIGINT alone, as Unix tools do): env(1) gives the tool SIGINT's default back, as an
        // interactive shell starts it.
        var start = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Octopus.Mqtt.Cli.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("the tool did not start");
    }

    private static void Signal(Process process, string signal)
    {
        // Process.Kill sends SIGKILL; kill(1) sends the signal asked for.
        using var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        kill.ExitCode.Should().Be(0);
    }
}
