namespace Octopus.Mqtt.IntegrationTests.Brokers;

/// <summary>Holds publishes back in an <see cref="InProcessBroker"/> until released; see <see cref="InProcessBroker.HoldAcknowledgements"/>.</summary>
public sealed class PublishGate : IDisposable
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Gets the topics of the publishes that reached the gate, in order; wait on it to know one is held.</summary>
    public ConditionRecorder<string> Held { get; } = new();

    /// <summary>Lets every held and later publish through.</summary>
    public void Release() => _released.TrySetResult();

    /// <summary>Releases the gate.</summary>
    public void Dispose() => Release();

    internal Task WaitAsync(string topic, CancellationToken cancellationToken)
    {
        Held.Add(topic);
        return _released.Task.WaitAsync(cancellationToken);
    }
}
