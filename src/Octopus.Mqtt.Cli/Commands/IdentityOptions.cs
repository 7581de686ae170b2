using System.CommandLine;

namespace Octopus.Mqtt.Cli;

/// <summary>The <c>FILE</c> argument and the <c>--namespace</c>, <c>--name</c> and <c>--uid</c> options that commands share.</summary>
internal sealed class IdentityOptions
{
    public Argument<string> File { get; } = new("FILE")
    {
        Description = "A DeviceLink, or bare MQTT options ({client, message}), in YAML or JSON.",
    };

    public Option<string> Namespace { get; } = new("--namespace")
    {
        Description = "The device's namespace (:namespace). Bare options: default \"default\". DeviceLink: replaces metadata.namespace.",
        HelpName = "NS",
    };

    public Option<string> Name { get; } = new("--name")
    {
        Description = "The DeviceLink's name (:name). Bare options: the name to use. DeviceLink: replaces metadata.name.",
        HelpName = "NAME",
    };

    public Option<string> Uid { get; } = new("--uid")
    {
        Description = "The DeviceLink's UID (:uid, the client ID). A DeviceLink file written by hand has none: the API server assigns it.",
        HelpName = "UID",
    };

    public void AddTo(Command command)
    {
        command.Add(File);
        command.Add(Namespace);
        command.Add(Name);
        command.Add(Uid);
    }

    public IdentityFlags GetFlags(ParseResult parsed) =>
        new(parsed.GetValue(Namespace), parsed.GetValue(Name), parsed.GetValue(Uid));
}
