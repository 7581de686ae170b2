using System.Text;

namespace Octopus.Mqtt;

/// <summary>Thrown when MQTT options cannot be read; carries every problem found in the document, not just the first.</summary>
public sealed class MqttOptionsException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="MqttOptionsException"/> class.</summary>
    public MqttOptionsException()
        : this("The MQTT options cannot be read.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MqttOptionsException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public MqttOptionsException(string message)
        : base(message)
    {
        Problems = [];
        Warnings = [];
    }

    /// <summary>Initializes a new instance of the <see cref="MqttOptionsException"/> class with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public MqttOptionsException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [];
        Warnings = [];
    }

    /// <summary>Initializes a new instance of the <see cref="MqttOptionsException"/> class from the problems found.</summary>
    /// <param name="problems">The errors; at least one.</param>
    /// <param name="warnings">The warnings found in the same document.</param>
    public MqttOptionsException(IReadOnlyList<MqttOptionsProblem> problems, IReadOnlyList<MqttOptionsProblem> warnings)
        : base(Describe(problems))
    {
        Problems = problems;
        Warnings = warnings ?? [];
    }

    /// <summary>Gets the errors, in document order.</summary>
    public IReadOnlyList<MqttOptionsProblem> Problems { get; }

    /// <summary>Gets the warnings found in the same document (misspelt fields read as aliases).</summary>
    public IReadOnlyList<MqttOptionsProblem> Warnings { get; }

    private static string Describe(IReadOnlyList<MqttOptionsProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var text = new StringBuilder();
        _ = text.Append(problems.Count == 1 ? "The MQTT options have 1 problem:" : $"The MQTT options have {problems.Count} problems:");
        foreach (var problem in problems)
        {
            _ = text.Append('\n').Append("  ").Append(problem.Message);
        }

        return text.ToString();
    }
}
