namespace Octopus.Mqtt.IntegrationTests.Brokers;

/// <summary>Holds publishes back in an <see cref="InProcessBroker"/> until released; see <see cref="InProcessBroker.HoldAcknowledgements"/>.</summary>
public sealed class PublishGate : IDisposable
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _held;

    /// <summary>Gets how many publishes have reached the gate.</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>Lets every held and later publish through.</summary>
    public void Release() => _released.TrySetResult();

    /// <summary>Releases the gate.</summary>
    public void Dispose() => Release();

    internal Task WaitAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _held);
        return _released.Task.WaitAsync(cancellationToken);
    }
}
