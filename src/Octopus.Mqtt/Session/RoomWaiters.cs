namespace Octopus.Mqtt;

/// <summary>
/// The publish calls waiting for room in a full queue (overflow policy <c>Wait</c>), first come, first served: a
/// freed slot goes to the oldest waiting call, and a new call waits behind the calls already waiting, so with
/// <c>client.order</c> the broker sees the messages in call order and no call starves. Not thread-safe: the client
/// calls it under its gate.
/// </summary>
internal sealed class RoomWaiters
{
    private readonly Queue<Waiter> _waiting = new();
    private int _live;

    /// <summary>Gets a value indicating whether a call is waiting.</summary>
    public bool Any => _live > 0;

    /// <summary>Adds a call, behind those already waiting.</summary>
    /// <param name="message">The call's message.</param>
    /// <returns>The waiter: its task completes with the connection state when the message is admitted.</returns>
    public Waiter Add(OutboundMessage message)
    {
        var waiter = new Waiter(message);
        _waiting.Enqueue(waiter);
        _live++;
        return waiter;
    }

    /// <summary>Withdraws a call that stopped waiting (timed out or cancelled).</summary>
    /// <param name="waiter">The waiter.</param>
    /// <returns><see langword="false"/> when it was admitted already.</returns>
    public bool Withdraw(Waiter waiter)
    {
        if (waiter.Done)
        {
            return false;
        }

        waiter.Done = true;
        _live--;
        return true;
    }

    /// <summary>Takes the oldest call still waiting.</summary>
    /// <param name="waiter">The waiter, marked admitted; complete it outside the gate.</param>
    /// <returns><see langword="false"/> when none waits.</returns>
    public bool TryAdmit(out Waiter waiter)
    {
        while (_waiting.TryDequeue(out waiter!))
        {
            if (!waiter.Done)
            {
                waiter.Done = true;
                _live--;
                return true;
            }
        }

        return false;
    }

    /// <summary>One waiting call.</summary>
    /// <param name="message">Its message.</param>
    internal sealed class Waiter(OutboundMessage message) : TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        /// <summary>Gets the call's message.</summary>
        public OutboundMessage Message { get; } = message;

        /// <summary>Gets or sets a value indicating whether the call was admitted or withdrawn.</summary>
        public bool Done { get; set; }
    }
}
