namespace Octopus.Mqtt.Testing;

/// <summary>
/// A PUBREL the broker sends a client for no message of its own: the client answers it with PUBCOMP only after it has
/// handled every packet sent before it (the engine handles the broker's PUBLISH and PUBREL packets one at a time, in
/// order), so the PUBCOMP says the handler is done with them.
/// </summary>
/// <param name="take">Takes the outcome of the handler calls since the last barrier, or <see langword="null"/>.</param>
internal sealed class HandledBarrier(Func<DeliveryOutcome>? take)
{
    private readonly TaskCompletionSource<DeliveryOutcome> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Gets the outcome: completes when the client answered, or its connection ended.</summary>
    public Task<DeliveryOutcome> Task => _done.Task;

    /// <summary>Completes the barrier with what the handler did, once.</summary>
    public void Complete() => _done.TrySetResult(take?.Invoke() ?? default);
}
