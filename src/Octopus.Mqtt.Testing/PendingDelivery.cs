namespace Octopus.Mqtt.Testing;

/// <summary>A message on its way to one client: in a fake client's inbox, or on a packet connection.</summary>
/// <param name="Owner">The <see cref="MessageInbox"/> the message went to, or the owner of the packet connection it went to (see <see cref="DeliveryScope"/>).</param>
/// <param name="Outcome">Completes when the client's handler is done with the message (inbox), or when the client acknowledged it (connection).</param>
internal readonly record struct PendingDelivery(object Owner, Task<DeliveryOutcome> Outcome)
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

        var current = DeliveryScope.Current;
        var calls = 0;
        List<Exception>? errors = null;
        foreach (var delivery in deliveries)
        {
            if (current is not null && ReferenceEquals(delivery.Owner, current))
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
