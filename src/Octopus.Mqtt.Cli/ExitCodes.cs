namespace Octopus.Mqtt.Cli;

/// <summary>The exit codes of <c>octopus-mqtt</c>.</summary>
internal static class ExitCodes
{
    /// <summary>The options are valid (warnings allowed); the command did what it was asked.</summary>
    public const int Valid = 0;

    /// <summary>The options have at least one error.</summary>
    public const int Invalid = 1;

    /// <summary>The file cannot be read as YAML or JSON, or the command line is wrong.</summary>
    public const int Unreadable = 2;
}
