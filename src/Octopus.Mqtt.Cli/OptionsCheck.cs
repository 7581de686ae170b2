namespace Octopus.Mqtt.Cli;

/// <summary>
/// Everything wrong with a document, as one list: what reading found, what <see cref="MqttOptionsValidator"/> finds,
/// and whether the topic templates can be parsed and bound to the device. Paths are whole paths in the file.
/// </summary>
internal sealed class OptionsCheck
{
    private OptionsCheck(LoadedDocument document, IReadOnlyList<MqttOptionsProblem> problems)
    {
        Document = document;
        Problems = problems;
    }

    public LoadedDocument Document { get; }

    /// <summary>Gets the errors and warnings, errors first, each in the order of its source.</summary>
    public IReadOnlyList<MqttOptionsProblem> Problems { get; }

    public bool IsValid => Document.Options is not null && Problems.All(p => p.Severity != MqttOptionsProblemSeverity.Error);

    public int ErrorCount => Problems.Count(p => p.Severity == MqttOptionsProblemSeverity.Error);

    public int WarningCount => Problems.Count(p => p.Severity == MqttOptionsProblemSeverity.Warning);

    /// <summary>Gets whether the DeviceLink lacks its UID, which the API server assigns: a file written by hand has none.</summary>
    public bool LacksUid => Problems.Any(p => p.Path == "metadata.uid");

    public static OptionsCheck Run(LoadedDocument document)
    {
        var problems = new List<MqttOptionsProblem>(document.Problems);
        if (document.Options is { } options)
        {
            foreach (var problem in MqttOptionsValidator.GetProblems(options))
            {
                problems.Add(InDocument(document, problem));
            }
        }

        var ordered = problems
            .Where(p => p.Severity == MqttOptionsProblemSeverity.Error)
            .Concat(problems.Where(p => p.Severity != MqttOptionsProblemSeverity.Error))
            .ToList();
        return new OptionsCheck(document, ordered);
    }

    /// <summary>Gives a problem of the options its path inside the document (<c>client.server</c> becomes <c>spec.template.spec.extension.mqtt.client.server</c> in a DeviceLink).</summary>
    internal static MqttOptionsProblem InDocument(LoadedDocument document, MqttOptionsProblem problem)
    {
        if (!document.IsDeviceLink)
        {
            return problem;
        }

        var path = $"{document.PathPrefix}.{problem.Path}";
        var message = problem.Message.StartsWith(problem.Path, StringComparison.Ordinal)
            ? $"{document.PathPrefix}.{problem.Message}"
            : $"{path}: {problem.Message}";
        return new MqttOptionsProblem(problem.Severity, path, message);
    }
}
