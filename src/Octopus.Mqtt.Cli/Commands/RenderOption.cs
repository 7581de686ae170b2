using System.CommandLine;

namespace Octopus.Mqtt.Cli;

/// <summary>The repeatable <c>--render key=value</c> option: one render map, checked when the command line is parsed.</summary>
internal static class RenderOption
{
    public static Option<string[]> Create(string description)
    {
        var render = new Option<string[]>("--render")
        {
            Description = description,
            HelpName = "key=value",
        };
        render.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (!RenderMap.TryParse(token.Value, out _))
                {
                    result.AddError($"--render expects key=value (the value may be empty), got \"{token.Value}\".");
                }
            }
        });
        return render;
    }

    public static Dictionary<string, string> GetMap(ParseResult parsed, Option<string[]> render) =>
        RenderMap.Create(parsed.GetValue(render) ?? []);
}
