namespace Octopus.Mqtt.LoadTool.Workload;

/// <summary>The figures of one measured round of one case by one kind of client.</summary>
internal sealed record CaseMeasurement(
    ClientKind Kind,
    int Round,
    double MessagesPerSecond,
    double PublishP50Microseconds,
    double PublishP99Microseconds,
    double EndToEndP50Microseconds,
    double EndToEndP99Microseconds,
    int Sent,
    int Lost, // -1: not measured (no subscriber)
    int Duplicates,
    int Failed,
    long PeakResidentBytes,
    long HeapPerDeviceBytes,
    double AllocatedBytesPerMessage,
    double WorkItemsPerMessage,
    double ConnectMilliseconds);
