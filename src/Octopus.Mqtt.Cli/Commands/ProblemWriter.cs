namespace Octopus.Mqtt.Cli;

/// <summary>Writes problems, one a line, as <c>error: path: what is wrong</c> or <c>warning: …</c>.</summary>
internal static class ProblemWriter
{
    public const string UidHint =
        "hint: a DeviceLink gets its uid from the API server; give it with --uid (kubectl get devicelink NAME -o jsonpath='{.metadata.uid}')";

    public static void Write(TextWriter writer, OptionsCheck check)
    {
        foreach (var problem in check.Problems)
        {
            writer.WriteLine(problem.ToString());
        }

        if (check.LacksUid)
        {
            writer.WriteLine(UidHint);
        }
    }

    public static string Count(int count, string noun) =>
        count == 1 ? $"1 {noun}" : $"{count.ToString(System.Globalization.CultureInfo.InvariantCulture)} {noun}s";
}
