namespace Octopus.Mqtt.Samples.DummyFan;

/// <summary>Where the sample prints what a subscriber sees: standard output, or a test's writer.</summary>
internal sealed class SampleOutput(TextWriter writer)
{
    private readonly Lock _gate = new();

    public void WriteLine(string line)
    {
        lock (_gate)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }
}
