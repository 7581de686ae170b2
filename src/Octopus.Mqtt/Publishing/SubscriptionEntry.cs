using MQTTnet.Exceptions;
using MQTTnet.Protocol;

namespace Octopus.Mqtt;

/// <summary>One rendered subscription.</summary>
/// <param name="Index">Its position in the subscribe call's list.</param>
/// <param name="Filter">The topic filter.</param>
/// <param name="Qos">The QoS.</param>
internal readonly record struct SubscriptionEntry(int Index, string Filter, MqttQos Qos)
{
    /// <summary>
    /// Renders and checks a subscribe call's desired set, as the real client and the fake both do: each entry's QoS
    /// (or the default) must be 0, 1 or 2 and its rendered filter a valid MQTT topic filter.
    /// </summary>
    /// <param name="subscriptions">The desired set.</param>
    /// <param name="defaultQos">The QoS of entries that give none (<c>message.qos</c>).</param>
    /// <param name="renderFilter">Renders an entry's render map into its topic filter.</param>
    /// <returns>The entries, in the call's order.</returns>
    /// <exception cref="ArgumentException">An entry is null, its QoS is not 0, 1 or 2, or its filter is not valid.</exception>
    public static SubscriptionEntry[] CreateAll(
        IReadOnlyList<MqttDeviceSubscription> subscriptions,
        MqttQos defaultQos,
        Func<IReadOnlyDictionary<string, string>?, string> renderFilter)
    {
        var entries = new SubscriptionEntry[subscriptions.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            var subscription = subscriptions[i] ?? throw new ArgumentException($"subscriptions[{i}] is null.", nameof(subscriptions));
            var qos = subscription.Qos ?? defaultQos;
            if ((uint)qos > (uint)MqttQos.ExactlyOnce)
            {
                throw new ArgumentException($"subscriptions[{i}]: the QoS {(int)qos} is not 0, 1 or 2.", nameof(subscriptions));
            }

            var filter = renderFilter(subscription.RenderMap);
            try
            {
                MqttTopicValidator.ThrowIfInvalidSubscribe(filter);
            }
            catch (MqttProtocolViolationException exception)
            {
                throw new ArgumentException($"subscriptions[{i}]: \"{filter}\" is not a valid MQTT topic filter: {exception.Message}", nameof(subscriptions), exception);
            }

            entries[i] = new SubscriptionEntry(i, filter, qos);
        }

        return entries;
    }
}
