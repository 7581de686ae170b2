namespace Octopus.Mqtt.Testing;

/// <summary>A message waiting in (or going through) one client's inbox.</summary>
/// <param name="Inbox">The inbox.</param>
/// <param name="Outcome">Completes when the client's handler is done with the message.</param>
internal readonly record struct PendingDelivery(MessageInbox Inbox, Task<DeliveryOutcome> Outcome)
{
    /// <summary>Waits for deliveries, except those queued behind the caller's own handler (waiting for them would never end).</summary>
    /// <param name="deliveries">The deliveries.</param>
    /// <returns>The handler calls made and the exceptions thrown.</returns>
    public static async Task<DeliveryOutcome> WhenAllAsync(IReadOnlyList<PendingDelivery>? deliveries)
    {
        if (deliveries is null)
        {
            return default;
        }

        var current = MessageInbox.Current;
        var calls = 0;
        List<Exception>? errors = null;
        foreach (var delivery in deliveries)
        {
            if (ReferenceEquals(delivery.Inbox, current))
            {
                continue;
            }

            var outcome = await delivery.Outcome.ConfigureAwait(false);
            calls += outcome.Calls;
            if (outcome.Errors is { } thrown)
            {
                (errors ??= []).AddRange(thrown);
            }
        }

        return new DeliveryOutcome(calls, errors);
    }
}
