namespace Octopus.Mqtt.Cli;

/// <summary>
/// Everything wrong with a document, as one list: what reading found, what <see cref="MqttOptionsValidator"/> finds,
/// and whether the topic templates can be parsed and bound to the device. Paths are whole paths in the file.
/// </summary>
internal sealed class OptionsCheck
{
    private const string InsecureSkipVerifyPath = "client.tlsConfig.insecureSkipVerify";

    private OptionsCheck(LoadedDocument document, IReadOnlyList<MqttOptionsProblem> problems, MqttDeviceTopic? topic)
    {
        Document = document;
        Problems = problems;
        Topic = topic;
    }

    public LoadedDocument Document { get; }

    /// <summary>Gets the errors and warnings, errors first, each in the order of its source.</summary>
    public IReadOnlyList<MqttOptionsProblem> Problems { get; }

    /// <summary>Gets the topic template bound to the device; <see langword="null"/> when it cannot be bound.</summary>
    public MqttDeviceTopic? Topic { get; }

    public bool IsValid => Document.Options is not null && Topic is not null && Problems.All(p => p.Severity != MqttOptionsProblemSeverity.Error);

    public int ErrorCount => Problems.Count(p => p.Severity == MqttOptionsProblemSeverity.Error);

    public int WarningCount => Problems.Count(p => p.Severity == MqttOptionsProblemSeverity.Warning);

    /// <summary>Gets whether the DeviceLink lacks its UID, which the API server assigns: a file written by hand has none.</summary>
    public bool LacksUid => Problems.Any(p => p.Path == "metadata.uid");

    public static OptionsCheck Run(LoadedDocument document)
    {
        var problems = new List<MqttOptionsProblem>(document.Problems);
        MqttDeviceTopic? topic = null;
        if (document is { Options: { } options, Identity: { } identity })
        {
            foreach (var problem in MqttOptionsValidator.GetProblems(options))
            {
                problems.Add(InDocument(document, problem));
            }

            topic = BindTopic(document, options.Message, identity, problems);
            if (options.Client?.TlsConfig is { InsecureSkipVerify: true })
            {
                problems.Add(InDocument(document, new MqttOptionsProblem(MqttOptionsProblemSeverity.Warning, InsecureSkipVerifyPath,
                    $"{InsecureSkipVerifyPath}: is true; the broker's certificate is not verified, so anyone between the device and the broker can read and change its messages; use it only for tests")));
            }
        }

        var ordered = problems
            .Where(p => p.Severity == MqttOptionsProblemSeverity.Error)
            .Concat(problems.Where(p => p.Severity != MqttOptionsProblemSeverity.Error))
            .ToList();
        return new OptionsCheck(document, ordered, topic);
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

    /// <summary>
    /// Parses the topic templates and binds them to the device, as a client would: an error is reported on
    /// <c>message.topic</c> or <c>message.will.topic</c>. With the device's own identity, a topic that cannot be
    /// rendered without a render map (empty, or a wildcard template used for publishing) is a warning.
    /// </summary>
    private static MqttDeviceTopic? BindTopic(LoadedDocument document, MqttMessageSettings message, DeviceIdentity identity, List<MqttOptionsProblem> problems)
    {
        if (string.IsNullOrEmpty(message.Topic))
        {
            return null;
        }

        MqttTopicTemplate template;
        MqttDeviceTopic bound;
        try
        {
            template = MqttTopicTemplate.Parse(message.Topic);
            bound = template.Bind(identity, WithoutWill(message));
        }
        catch (MqttTopicException e)
        {
            problems.Add(TopicProblem(document, MqttOptionsProblemSeverity.Error, "message.topic", e.Message));
            return null;
        }

        if (message.Will is not null)
        {
            try
            {
                if (!string.IsNullOrEmpty(message.Will.Topic))
                {
                    _ = MqttTopicTemplate.Parse(message.Will.Topic);
                }

                bound = template.Bind(identity, message);
            }
            catch (MqttTopicException e)
            {
                problems.Add(TopicProblem(document, MqttOptionsProblemSeverity.Error, "message.will.topic", e.Message));
                return null;
            }
        }

        if (document.HasFullIdentity)
        {
            WarnIfNotRendered(document, problems, () => bound.RenderForPublish(), "publishing");
            WarnIfNotRendered(document, problems, () => bound.RenderForSubscribe(), "subscribing");
        }

        return bound;
    }

    private static void WarnIfNotRendered(LoadedDocument document, List<MqttOptionsProblem> problems, Func<string> render, string use)
    {
        try
        {
            _ = render();
        }
        catch (MqttTopicException e)
        {
            problems.Add(TopicProblem(document, MqttOptionsProblemSeverity.Warning, "message.topic", $"cannot be rendered for {use}: {e.Message}"));
        }
    }

    private static MqttOptionsProblem TopicProblem(LoadedDocument document, MqttOptionsProblemSeverity severity, string path, string detail) =>
        InDocument(document, new MqttOptionsProblem(severity, path, $"{path}: {detail}"));

    private static MqttMessageSettings WithoutWill(MqttMessageSettings message) => new()
    {
        Topic = message.Topic,
        Qos = message.Qos,
        Retained = message.Retained,
        Path = message.Path,
        Operator = message.Operator,
    };
}
