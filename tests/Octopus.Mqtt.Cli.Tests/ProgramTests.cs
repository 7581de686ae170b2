using System.Diagnostics;

namespace Octopus.Mqtt.Cli.Tests;

public class ProgramTests
{
    [Fact]
    public async Task Main_BuiltTool_RendersAndExitsWithTheCode()
    {
        var tool = Path.Combine(AppContext.BaseDirectory, "Octopus.Mqtt.Cli.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { tool, "render", CliRun.DeviceLink("case3.yaml"), "--json" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(deadline.Token);

        (await stderr).Should().BeEmpty();
        (await stdout).Should().Contain("\"publishTopic\": \"cattle.io/octopus/set/device/default/case3\"");
        process.ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task Main_NoArguments_ExitsTwoWithUsage()
    {
        var run = await CliRun.RunAsync();

        run.ExitCode.Should().Be(2);
        run.ErrorLines.Should().Equal(
            "error: Required command was not provided.",
            "usage: octopus-mqtt <command> [options]",
            "Run 'octopus-mqtt --help' for more.");
    }

    [Fact]
    public async Task Main_Help_ListsTheCommands()
    {
        var run = await CliRun.RunAsync("--help");

        run.ExitCode.Should().Be(0);
        run.Out.Should().Contain("validate <FILE>").And.Contain("render <FILE>").And.Contain("pub <FILE>").And.Contain("sub <FILE>");
    }
}
