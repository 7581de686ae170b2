namespace Octopus.Mqtt.LoadTool.Reporting;

/// <summary>The figures of one round of one case by the Go original's driver (a separate process).</summary>
internal sealed record GoMeasurement(
    int Round,
    double MessagesPerSecond,
    double PublishP50Microseconds,
    double PublishP99Microseconds,
    double EndToEndP50Microseconds,
    double EndToEndP99Microseconds,
    long Sent,
    int Lost, // -1: not measured (no subscriber)
    int Duplicates,
    long Failed,
    long PeakResidentBytes,
    int PayloadBytes,
    double ConnectMilliseconds);
