using System.Globalization;
using System.Reflection;

namespace Octopus.Mqtt.Samples.DummyFan;

/// <summary>The sample's command line: <c>[--server URI] [--devicelink FILE] [--duration SECONDS]</c>.</summary>
internal sealed record SampleCommandLine
{
    public const string Usage = """
        Usage: dotnet run --project samples/Octopus.Mqtt.Samples.DummyFan [-- OPTIONS]

        Runs the dummy living-room fan of the Octopus examples, publishes every change of its status to the topic
        of its DeviceLink, and prints every message a subscriber sees, until Ctrl+C.

        Options:
          --server URI          Publish to this broker (tcp://host:1883, ssl://host:8883, ws://host/mqtt, ...)
                                instead of starting an embedded broker on 127.0.0.1.
          --devicelink FILE     The DeviceLink to run (YAML, or JSON when FILE ends with .json);
                                default: the sample's devicelink.yaml. Edits to the file apply at once.
          --duration SECONDS    Stop after this many seconds.
          -h, --help            Show this help.
        """;

    /// <summary>Gets the broker to use instead of the embedded one, or <see langword="null"/>.</summary>
    public string? Server { get; init; }

    /// <summary>Gets the DeviceLink file.</summary>
    public string DeviceLink { get; init; } = DefaultDeviceLink;

    /// <summary>
    /// Gets the sample's own devicelink.yaml: the one beside its sources when they are there (so that edits to it
    /// apply while the sample runs), otherwise the copy beside the program.
    /// </summary>
    public static string DefaultDeviceLink { get; } = FindDefaultDeviceLink();

    /// <summary>Gets how long to run, or <see langword="null"/> to run until stopped.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Gets the port the embedded broker tries first.</summary>
    public int BrokerPort { get; init; } = EmbeddedBroker.DefaultPort;

    /// <summary>Gets a value indicating whether help was asked for.</summary>
    public bool Help { get; init; }

    private static string FindDefaultDeviceLink()
    {
        var projectDirectory = typeof(SampleCommandLine).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "SampleProjectDirectory")?.Value;
        var beside = projectDirectory is null ? null : Path.Combine(projectDirectory, "devicelink.yaml");
        return beside is not null && File.Exists(beside) ? beside : Path.Combine(AppContext.BaseDirectory, "devicelink.yaml");
    }

    /// <summary>Reads the arguments.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="error">What is wrong with them, or <see langword="null"/>.</param>
    /// <returns>The command line, or <see langword="null"/> with <paramref name="error"/> set.</returns>
    public static SampleCommandLine? Parse(IReadOnlyList<string> args, out string? error)
    {
        error = null;
        var result = new SampleCommandLine();
        for (var i = 0; i < args.Count; i++)
        {
            var (name, inline) = args[i].Split('=', 2) is [var n, var v] && n.StartsWith("--", StringComparison.Ordinal) ? (n, v) : (args[i], null);
            if (name is "-h" or "--help")
            {
                return result with { Help = true };
            }

            if (name is not ("--server" or "--devicelink" or "--duration"))
            {
                error = $"unknown argument {args[i]}; expected --server URI, --devicelink FILE, --duration SECONDS or --help";
                return null;
            }

            var value = inline ?? (i + 1 < args.Count ? args[++i] : null);
            if (string.IsNullOrWhiteSpace(value))
            {
                error = $"{name} needs a value";
                return null;
            }

            switch (name)
            {
                case "--server":
                    result = result with { Server = value };
                    break;
                case "--devicelink":
                    result = result with { DeviceLink = value };
                    break;
                default:
                    if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !(seconds > 0) || seconds > int.MaxValue)
                    {
                        error = $"--duration {value} is not a number of seconds greater than 0";
                        return null;
                    }

                    result = result with { Duration = TimeSpan.FromSeconds(seconds) };
                    break;
            }
        }

        return result;
    }
}
