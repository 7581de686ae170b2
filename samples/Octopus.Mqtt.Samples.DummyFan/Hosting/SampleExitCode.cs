namespace Octopus.Mqtt.Samples.DummyFan;

/// <summary>The process's exit code: 0, or 1 when the adaptor could not start.</summary>
internal sealed class SampleExitCode
{
    public int Value { get; set; }
}
