using System.CommandLine;

namespace Octopus.Mqtt.Cli;

/// <summary><c>octopus-mqtt validate FILE</c>: prints every problem of the options with its path; exit code 0 when valid, 1 when not.</summary>
internal static class ValidateCommand
{
    public static Command Create(CliOutput output)
    {
        var identity = new IdentityOptions();
        var command = new Command("validate", "Check the MQTT options of a DeviceLink or of a bare options file; print every error and warning with its path.");
        identity.AddTo(command);
        command.SetAction(parsed => Run(output, parsed.GetValue(identity.File)!, identity.GetFlags(parsed)));
        return command;
    }

    private static int Run(CliOutput output, string file, IdentityFlags flags)
    {
        LoadedDocument document;
        try
        {
            document = OptionsDocument.Load(DocumentFile.ReadAsJson(file), flags);
        }
        catch (UnreadableDocumentException e)
        {
            output.Error.WriteLine($"error: {file}: {e.Message}");
            return ExitCodes.Unreadable;
        }

        var check = OptionsCheck.Run(document);
        ProblemWriter.Write(output.Out, check);
        var what = document.IsDeviceLink
            ? (document.Identity is { } device ? $"DeviceLink {device.Namespace}/{device.Name}" : "DeviceLink")
            : "MQTT options";
        var warnings = check.WarningCount == 0 ? string.Empty : $", {ProblemWriter.Count(check.WarningCount, "warning")}";
        if (check.IsValid)
        {
            output.Out.WriteLine($"{file}: valid ({what}{warnings})");
            return ExitCodes.Valid;
        }

        output.Out.WriteLine($"{file}: not valid ({what}: {ProblemWriter.Count(check.ErrorCount, "error")}{warnings})");
        return ExitCodes.Invalid;
    }
}
