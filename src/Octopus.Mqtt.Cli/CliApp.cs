using System.CommandLine;
using System.CommandLine.Invocation;

namespace Octopus.Mqtt.Cli;

/// <summary>The <c>octopus-mqtt</c> command line, runnable in-process: arguments in, text and an exit code out.</summary>
internal static class CliApp
{
    public const string Name = "octopus-mqtt";

    /// <summary>Runs one command line.</summary>
    /// <param name="args">The arguments, without the program's name.</param>
    /// <param name="stdout">Where the command's result goes.</param>
    /// <param name="stderr">Where errors and warnings go.</param>
    /// <param name="cancellationToken">Stops a command that waits (sub).</param>
    /// <returns>The exit code: see <see cref="ExitCodes"/>.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);

        var root = CreateRootCommand(new CliOutput(stdout, stderr));
        var parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parsed.Action is ParseErrorAction)
        {
            WriteUsageError(parsed, stderr);
            return ExitCodes.Unreadable;
        }

        var invocation = new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        return await parsed.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
    }

    internal static Command CreateRootCommand(CliOutput output)
    {
        var connect = new ConnectRunner(output, new MqttDeviceClientFactory());
        var root = new Command(Name, "Check a DeviceLink's MQTT options and show the client ID and topics Octopus.Mqtt will use for it.")
        {
            new System.CommandLine.Help.HelpOption { Recursive = true },
            new VersionOption(),
            ValidateCommand.Create(output),
            RenderCommand.Create(output),
            ConnectCommands.CreatePub(connect.PublishAsync),
            ConnectCommands.CreateSub(connect.SubscribeAsync),
        };
        return root;
    }

    private static void WriteUsageError(ParseResult parsed, TextWriter stderr)
    {
        foreach (var error in parsed.Errors)
        {
            stderr.WriteLine($"error: {error.Message}");
        }

        var command = parsed.CommandResult.Command;
        var path = CommandPath(parsed);
        var usage = new List<string> { path };
        usage.AddRange(command.Subcommands.Count > 0 ? ["<command>"] : command.Arguments.Select(a => $"<{a.Name}>"));
        usage.Add("[options]");
        stderr.WriteLine($"usage: {string.Join(' ', usage)}");
        stderr.WriteLine($"Run '{path} --help' for more.");
    }

    private static string CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (var result = parsed.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, result.Command.Name);
        }

        return string.Join(' ', names);
    }
}
