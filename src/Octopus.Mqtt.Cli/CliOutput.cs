namespace Octopus.Mqtt.Cli;

/// <summary>Where a command writes: its result to <see cref="Out"/>, diagnostics to <see cref="Error"/>.</summary>
internal sealed record CliOutput(TextWriter Out, TextWriter Error);
