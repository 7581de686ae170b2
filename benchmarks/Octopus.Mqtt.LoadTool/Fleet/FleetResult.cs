namespace Octopus.Mqtt.LoadTool.Fleet;

/// <summary>The figures of a fleet run.</summary>
internal sealed record FleetResult
{
    public required int Devices { get; init; }

    public required string MaxReconnectInterval { get; init; }

    public long? ToolOpenFileLimit { get; init; }

    public long? BrokerOpenFileLimit { get; init; }

    public required double LibraryConnectAllSeconds { get; init; }

    public required double RawConnectAllSeconds { get; init; }

    public required long LibraryHeapPerDeviceBytes { get; init; }

    public required long RawHeapPerDeviceBytes { get; init; }

    public required long PeakResidentBytes { get; init; }

    public bool Restarted { get; init; }

    public double BrokerDownSeconds { get; init; }

    public double AllBackSeconds { get; init; }

    public int Reconnected { get; init; }

    public int TotalAttempts { get; init; }

    /// <summary>Gets the connection attempts that started in each second after the kill (index 0 = the first second).</summary>
    public IReadOnlyList<int> AttemptsPerSecond { get; init; } = [];

    public int MaxAttemptsInOneSecond => AttemptsPerSecond.Count == 0 ? 0 : AttemptsPerSecond.Max();
}
