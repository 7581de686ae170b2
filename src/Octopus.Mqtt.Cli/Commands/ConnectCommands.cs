using System.CommandLine;
using System.Text;
using System.Text.Json;

namespace Octopus.Mqtt.Cli;

/// <summary>
/// <c>octopus-mqtt pub FILE [--payload JSON]</c> and <c>octopus-mqtt sub FILE</c>: connect with the DeviceLink's
/// settings, then publish once, or print what arrives on the subscribe topic. This builds and checks the command
/// line and hands the request to the runner it is given, which connects.
/// </summary>
internal static class ConnectCommands
{
    /// <summary>What <c>pub</c> publishes without <c>--payload</c>.</summary>
    public const string DefaultPayload = "{}";

    public static Command CreatePub(Func<ConnectRequest, CancellationToken, Task<int>> run)
    {
        var (command, identity, render, references) = Create(
            "pub",
            "Connect with the DeviceLink's MQTT settings and publish one message to its publish topic.");
        var payload = new Option<string>("--payload")
        {
            Description = $"The JSON to publish, sent as it is (UTF-8). Default: {DefaultPayload}.",
            HelpName = "JSON",
        };
        payload.Validators.Add(result =>
        {
            var text = result.Tokens.Count == 0 ? null : result.Tokens[0].Value;
            if (text is not null && !IsJson(text, out var error))
            {
                result.AddError($"--payload expects JSON, e.g. '{{\"gear\":\"fast\"}}' or '\"text\"': {error}");
            }
        });
        command.Add(payload);
        command.SetAction((parsed, cancellationToken) => run(
            Request(parsed, identity, render, references, Encoding.UTF8.GetBytes(parsed.GetValue(payload) ?? DefaultPayload)),
            cancellationToken));
        return command;
    }

    public static Command CreateSub(Func<ConnectRequest, CancellationToken, Task<int>> run)
    {
        var (command, identity, render, references) = Create(
            "sub",
            "Connect with the DeviceLink's MQTT settings, subscribe to its subscribe topic and print each message that arrives, until Ctrl+C.");
        var count = new Option<int?>("--count")
        {
            Description = "Stop after this many messages (exit code 0). Default: run until Ctrl+C.",
            HelpName = "N",
        };
        count.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1)
            {
                result.AddError("--count expects a whole number of 1 or more.");
            }
        });
        command.Add(count);
        command.SetAction((parsed, cancellationToken) => run(
            Request(parsed, identity, render, references, payload: null) with { Count = parsed.GetValue(count) },
            cancellationToken));
        return command;
    }

    private static (Command Command, IdentityOptions Identity, Option<string[]> Render, Option<string> References) Create(string name, string description)
    {
        var identity = new IdentityOptions();
        var render = RenderOption.Create("A value for a topic keyword, e.g. --render path=region/ap; repeat for more keys, the last value of a key wins.");
        var references = new Option<string>("--references")
        {
            Description = "The directory of the DeviceLink's references, one folder per reference and one file per item "
                + "(as Kubernetes mounts Secrets and ConfigMaps), for usernameRef, passwordRef and the TLS *Ref fields.",
            HelpName = "DIR",
        };
        references.Validators.Add(result =>
        {
            var path = result.Tokens.Count == 0 ? null : result.Tokens[0].Value;
            if (path is not null && !Directory.Exists(path))
            {
                result.AddError($"--references: \"{path}\" is not a directory.");
            }
        });

        var command = new Command(name, description);
        identity.AddTo(command);
        command.Add(render);
        command.Add(references);
        return (command, identity, render, references);
    }

    private static ConnectRequest Request(ParseResult parsed, IdentityOptions identity, Option<string[]> render, Option<string> references, byte[]? payload) =>
        new(parsed.GetValue(identity.File)!, identity.GetFlags(parsed), RenderOption.GetMap(parsed, render), parsed.GetValue(references), payload);

    private static bool IsJson(string text, out string? error)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            error = null;
            return true;
        }
        catch (JsonException e)
        {
            error = e.Message;
            return false;
        }
    }
}
