namespace Octopus.Mqtt.Testing;

/// <summary>
/// The messages the broker sent one client, handed to its handler one at a time in arrival order, as a real MQTT
/// client's receive loop does; publishing never waits for another client's handler.
/// </summary>
internal sealed class MessageInbox
{
    private readonly Lock _gate = new();
    private readonly Queue<(FakeMqttMessage Message, TaskCompletionSource<DeliveryOutcome> Done)> _queue = new();
    private readonly Func<FakeMqttMessage, Task<DeliveryOutcome>> _deliver;
    private bool _running;

    public MessageInbox(Func<FakeMqttMessage, Task<DeliveryOutcome>> deliver) => _deliver = deliver;

    /// <summary>Queues a message for the handler.</summary>
    /// <param name="message">The message.</param>
    /// <returns>The pending delivery.</returns>
    public PendingDelivery Enqueue(FakeMqttMessage message)
    {
        var done = new TaskCompletionSource<DeliveryOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _queue.Enqueue((message, done));
            if (!_running)
            {
                _running = true;
                _ = Task.Run(RunAsync);
            }
        }

        return new PendingDelivery(this, done.Task);
    }

    private async Task RunAsync()
    {
        DeliveryScope.Current = this;
        while (true)
        {
            FakeMqttMessage message;
            TaskCompletionSource<DeliveryOutcome> done;
            lock (_gate)
            {
                if (!_queue.TryDequeue(out var next))
                {
                    _running = false;
                    return;
                }

                (message, done) = next;
            }

            try
            {
                done.TrySetResult(await _deliver(message).ConfigureAwait(false));
            }
            catch (Exception exception)
            {
                done.TrySetResult(new DeliveryOutcome(0, [exception]));
            }
        }
    }
}
