using System.Threading.Tasks.Sources;

namespace Octopus.Mqtt;

/// <summary>
/// Wakes the sender when there may be work: one reusable awaitable for the single sender loop, instead of a new
/// <see cref="TaskCompletionSource"/> each time the sender waits. A wake-up with nobody waiting is dropped (the sender
/// looks at the queue under the client's gate before it waits). A publish that finds the sender idle claims the
/// wake-up under the gate and wakes it after leaving the gate, on its own thread, so the sender sends at once
/// instead of waiting for a thread-pool thread; other wake-ups run the sender on the thread pool.
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

    /// <summary>Wakes the waiting sender, if it waits, on the thread pool; call under the gate.</summary>
    public void SetLocked()
    {
        if (_waiting)
        {
            _waiting = false;
            _core.RunContinuationsAsynchronously = true;
            _core.SetResult(true);
        }
    }

    /// <summary>Takes the wake-up of the waiting sender, if it waits, for <see cref="WakeClaimed"/>; call under the gate.</summary>
    /// <returns><see langword="true"/> when the caller must call <see cref="WakeClaimed"/> once it has left the gate.</returns>
    public bool ClaimLocked()
    {
        if (!_waiting)
        {
            return false;
        }

        _waiting = false;
        return true;
    }

    /// <summary>Wakes the sender on the calling thread, after <see cref="ClaimLocked"/> returned <see langword="true"/>; call outside the gate.</summary>
    public void WakeClaimed()
    {
        _core.RunContinuationsAsynchronously = false;
        _core.SetResult(true);
    }

    /// <inheritdoc/>
    public void GetResult(short token) => _core.GetResult(token);

    /// <inheritdoc/>
    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    /// <inheritdoc/>
    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
