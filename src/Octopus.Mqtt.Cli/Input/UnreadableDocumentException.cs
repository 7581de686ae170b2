namespace Octopus.Mqtt.Cli;

/// <summary>The file cannot be read as a YAML or JSON document at all (exit code 2); the message says why, in plain words.</summary>
internal sealed class UnreadableDocumentException : Exception
{
    public UnreadableDocumentException()
    {
    }

    public UnreadableDocumentException(string message)
        : base(message)
    {
    }

    public UnreadableDocumentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
