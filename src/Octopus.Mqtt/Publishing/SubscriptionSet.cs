namespace Octopus.Mqtt;

/// <summary>The desired subscriptions (rendered) and their handler; immutable, replaced whole by each subscribe call.</summary>
internal sealed class SubscriptionSet
{
    public static readonly SubscriptionSet Empty = new([], null);

    public SubscriptionSet(SubscriptionEntry[] entries, MqttReceivedMessageHandler? handler)
    {
        Entries = entries;
        Handler = handler;
    }

    /// <summary>Gets the subscriptions, by index.</summary>
    public SubscriptionEntry[] Entries { get; }

    /// <summary>Gets the handler.</summary>
    public MqttReceivedMessageHandler? Handler { get; }

    /// <summary>Gets each distinct topic filter with the highest QoS asked for it.</summary>
    /// <returns>The filters.</returns>
    public Dictionary<string, MqttQos> GetFilters()
    {
        var filters = new Dictionary<string, MqttQos>(Entries.Length, StringComparer.Ordinal);
        foreach (var entry in Entries)
        {
            if (!filters.TryGetValue(entry.Filter, out var qos) || qos < entry.Qos)
            {
                filters[entry.Filter] = entry.Qos;
            }
        }

        return filters;
    }
}
