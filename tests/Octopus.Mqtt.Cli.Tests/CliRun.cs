namespace Octopus.Mqtt.Cli.Tests;

/// <summary>The outcome of one in-process run of the command line.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    public static string DeviceLinks { get; } = Path.Combine(AppContext.BaseDirectory, "DeviceLinks");

    public string[] OutLines => Lines(Out);

    public string[] ErrorLines => Lines(Error);

    public static string DeviceLink(string name) => Path.Combine(DeviceLinks, name);

    public static async Task<CliRun> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter { NewLine = "\n" };
        using var stderr = new StringWriter { NewLine = "\n" };
        var exitCode = await CliApp.RunAsync(args, stdout, stderr, TestContext.Current.CancellationToken);
        return new CliRun(exitCode, stdout.ToString(), stderr.ToString());
    }

    private static string[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
