namespace Octopus.Mqtt.LoadTool.Workload;

/// <summary>Every round of one case by both kinds of client; the figures compared are each kind's best round.</summary>
internal sealed class CaseResult(CaseSpec spec)
{
    public CaseSpec Spec { get; } = spec;

    public List<CaseMeasurement> Library { get; } = [];

    public List<CaseMeasurement> Raw { get; } = [];

    /// <summary>Gets the rounds of the bare socket client (<c>--bare</c>), the broker's ceiling; empty without it.</summary>
    public List<CaseMeasurement> Bare { get; } = [];

    public CaseMeasurement BestLibrary => Best(Library);

    public CaseMeasurement BestRaw => Best(Raw);

    /// <summary>Gets library msg/s over raw msg/s, best round against best round.</summary>
    public double ThroughputRatio => BestLibrary.MessagesPerSecond / BestRaw.MessagesPerSecond;

    /// <summary>Gets the messages lost over all rounds, or -1 when run without a subscriber.</summary>
    public int Lost => SumLost(Library.Concat(Raw));

    /// <summary>Gets the messages the bare client lost over all its rounds, or -1 when run without a subscriber.</summary>
    public int BareLost => SumLost(Bare);

    /// <summary>Gets the bare client's best round, or <see langword="null"/> when it did not run.</summary>
    public CaseMeasurement? BestBare => Bare.Count > 0 ? Best(Bare) : null;

    public void Add(CaseMeasurement measurement) =>
        (measurement.Kind switch { ClientKind.Library => Library, ClientKind.Raw => Raw, _ => Bare }).Add(measurement);

    private static int SumLost(IEnumerable<CaseMeasurement> rounds) =>
        rounds.Any(m => m.Lost < 0) ? -1 : rounds.Sum(m => m.Lost);

    private static CaseMeasurement Best(List<CaseMeasurement> rounds) => rounds.MaxBy(m => m.MessagesPerSecond)!;
}
