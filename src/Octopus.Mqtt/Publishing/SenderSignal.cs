using System.Threading.Tasks.Sources;

namespace Octopus.Mqtt;

/// <summary>
/// Wakes the sender when there may be work: one reusable awaitable for the single sender loop, instead of a new
/// <see cref="TaskCompletionSource"/> each time the sender waits. Both members are called under the client's gate; a
/// wake-up with nobody waiting is dropped (the sender looks at the queue under the gate before it waits).
/// </summary>
internal sealed class SenderSignal : IValueTaskSource
{
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
    private bool _waiting;

    /// <summary>Starts a wait; call under the gate, await once outside it.</summary>
    /// <returns>A task that completes at the next <see cref="SetLocked"/>.</returns>
    public ValueTask WaitLocked()
    {
        _core.Reset();
        _waiting = true;
        return new ValueTask(this, _core.Version);
    }

    /// <summary>Wakes the waiting sender, if it waits; call under the gate.</summary>
    public void SetLocked()
    {
        if (_waiting)
        {
            _waiting = false;
            _core.SetResult(true);
        }
    }

    /// <inheritdoc/>
    public void GetResult(short token) => _core.GetResult(token);

    /// <inheritdoc/>
    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    /// <inheritdoc/>
    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
