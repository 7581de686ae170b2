using System.Threading.Tasks.Sources;

namespace Octopus.Mqtt;

/// <summary>
/// The outcome of one packet handed to a <see cref="PacketWriter"/>: completes when the write that carries the packet
/// ends. Reused: the writer rents one per packet and takes it back when its task has been awaited.
/// </summary>
internal sealed class WriteCompletion : IValueTaskSource
{
    private readonly PacketWriter _owner;
    private ManualResetValueTaskSourceCore<bool> _core;

    /// <summary>Initializes a new instance of the <see cref="WriteCompletion"/> class.</summary>
    /// <param name="owner">The writer it returns to once awaited.</param>
    public WriteCompletion(PacketWriter owner)
    {
        _owner = owner;
    }

    /// <summary>Gets the task the packet's sender awaits, once.</summary>
    public ValueTask Task => new(this, _core.Version);

    /// <summary>Completes the task: the packet was written.</summary>
    public void Succeed() => _core.SetResult(true);

    /// <summary>Completes the task with the write's failure.</summary>
    /// <param name="error">Why the packet was not written whole.</param>
    public void Fail(Exception error) => _core.SetException(error);

    /// <inheritdoc/>
    public void GetResult(short token)
    {
        try
        {
            _core.GetResult(token);
        }
        finally
        {
            _core.Reset();
            _owner.Return(this);
        }
    }

    /// <inheritdoc/>
    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    /// <inheritdoc/>
    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
