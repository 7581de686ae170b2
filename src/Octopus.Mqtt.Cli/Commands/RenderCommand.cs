using System.CommandLine;

namespace Octopus.Mqtt.Cli;

/// <summary>
/// <c>octopus-mqtt render FILE</c>: prints the client ID, the publish and subscribe topics (with a render map), the
/// will topic and the message defaults the library will use. Exit code 0 when the options are valid, even if a
/// topic cannot be rendered; 1 when they are not.
/// </summary>
internal static class RenderCommand
{
    public static Command Create(CliOutput output)
    {
        var identity = new IdentityOptions();
        var render = RenderOption.Create(
            "A value for a topic keyword, e.g. --render path=region/ap or --render operator= (an empty value blanks it). "
            + "Repeat for more keys; the last value of a key wins. One render map for both topics.");
        var json = new Option<bool>("--json")
        {
            Description = "Print one JSON object: clientId, publishTopic, publishError, subscribeTopic, subscribeError, willTopic, qos, retained, protocolVersion, server, and servers (every server in the order tried) when client.servers lists more.",
        };

        var command = new Command("render", "Show the client ID, topics and message defaults Octopus.Mqtt will use for a DeviceLink (secrets are never printed).");
        identity.AddTo(command);
        command.Add(render);
        command.Add(json);
        command.SetAction(parsed => Run(
            output,
            parsed.GetValue(identity.File)!,
            identity.GetFlags(parsed),
            RenderOption.GetMap(parsed, render),
            parsed.GetValue(json)));
        return command;
    }

    /// <summary>The error for bare options without the device's name and UID, which the client ID and topics need.</summary>
    internal static string IdentityRequired(string file) =>
        $"error: {file} holds bare MQTT options: give the device's identity with --name and --uid (--namespace is \"default\" unless given)";

    private static int Run(CliOutput output, string file, IdentityFlags flags, Dictionary<string, string> renderMap, bool json)
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

        if (!document.IsDeviceLink && !document.HasFullIdentity)
        {
            output.Error.WriteLine(IdentityRequired(file));
            return ExitCodes.Unreadable;
        }

        var check = OptionsCheck.Run(document);
        if (!check.IsValid || check.Topic is null || document.Options is null)
        {
            ProblemWriter.Write(output.Error, check);
            output.Error.WriteLine($"{file}: not valid ({ProblemWriter.Count(check.ErrorCount, "error")})");
            return ExitCodes.Invalid;
        }

        ProblemWriter.Write(output.Error, check);
        foreach (var keyword in RenderMap.FixedKeywords.Where(renderMap.ContainsKey))
        {
            output.Error.WriteLine($"warning: --render {keyword}=… is ignored: :{keyword} comes from the device's identity (use --{keyword})");
        }

        var report = RenderReport.Create(document.Options, check.Topic, renderMap);
        if (json)
        {
            output.Out.WriteLine(RenderReportJson.Write(report));
        }
        else
        {
            RenderReportText.Write(output.Out, report);
        }

        return ExitCodes.Valid;
    }
}
