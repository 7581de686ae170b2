using MQTTnet.Exceptions;
using MQTTnet.Protocol;

namespace Octopus.Mqtt.Testing;

/// <summary>The failures a test arms for the packet connections of one client ID (see <see cref="ClientFaults"/>).</summary>
public sealed partial class FakeMqttBroker
{
    private readonly Dictionary<string, ClientFaults> _faults = new(StringComparer.Ordinal);

    /// <summary>Makes the next transport open of <paramref name="clientId"/> throw <paramref name="exception"/>; each call arms one more.</summary>
    internal void FailNextOpen(string clientId, Exception exception) => Arm(clientId, faults => faults.Opens.Enqueue(exception));

    /// <summary>Makes the broker refuse the next CONNECT of <paramref name="clientId"/> with <paramref name="reasonCode"/> (its 3.1.1 return code on 3.1.1); each call arms one more.</summary>
    internal void RefuseNextConnect(string clientId, MqttConnectReasonCode reasonCode = MqttConnectReasonCode.NotAuthorized) =>
        Arm(clientId, faults => faults.Connects.Enqueue(reasonCode));

    /// <summary>
    /// Makes the broker refuse the next PUBLISH of <paramref name="clientId"/>: with <paramref name="reasonCode"/> in the
    /// PUBACK or PUBREC on MQTT 5 (a QoS 0 one is discarded), by dropping the connection on 3.1.1 (which has no refusal);
    /// the message does not reach the broker. Each call arms one more.
    /// </summary>
    internal void RefuseNextPublish(string clientId, MqttPubAckReasonCode reasonCode = MqttPubAckReasonCode.NotAuthorized)
    {
        if ((int)reasonCode < 0x80)
        {
            throw new ArgumentOutOfRangeException(nameof(reasonCode), reasonCode, "A refusal's reason code is 0x80 or more.");
        }

        Arm(clientId, faults => faults.Publishes.Enqueue(reasonCode));
    }

    /// <summary>Makes the broker drop the connection of <paramref name="clientId"/> (its will is published) when it receives the next PUBLISH, which does not reach the broker; each call arms one more.</summary>
    internal void DropOnNextPublish(string clientId) => Arm(clientId, faults => faults.Publishes.Enqueue(null));

    /// <summary>Makes the broker refuse every topic filter of the next SUBSCRIBE of <paramref name="clientId"/> with <paramref name="reasonCode"/> (0x80 on 3.1.1); each call arms one more.</summary>
    internal void RefuseNextSubscribe(string clientId, MqttSubscribeReasonCode reasonCode = MqttSubscribeReasonCode.NotAuthorized) =>
        Arm(clientId, faults => faults.Subscribes.Enqueue(reasonCode));

    /// <summary>Makes every transport open of <paramref name="clientId"/> fail, as an unreachable broker, until <see cref="AllowConnections"/>; the current connection stays.</summary>
    internal void BlockConnections(string clientId) => Arm(clientId, faults => faults.Blocked = true);

    /// <summary>Ends <see cref="BlockConnections"/> for <paramref name="clientId"/>.</summary>
    internal void AllowConnections(string clientId) => Arm(clientId, faults => faults.Blocked = false);

    /// <summary>The failure of a transport open of <paramref name="clientId"/>, if one is armed or the client ID is blocked.</summary>
    internal Exception? TakeOpenFault(string clientId) => Take(clientId, faults =>
        faults.Blocked
            ? new MqttCommunicationException($"The fake broker refuses connections of {clientId} (simulated outage).")
            : faults.Opens.TryDequeue(out var exception) ? exception : null);

    /// <summary>The refusal of the next CONNECT, if one is armed.</summary>
    internal MqttConnectReasonCode? TakeConnectFault(string clientId) =>
        Take(clientId, faults => faults.Connects.TryDequeue(out var code) ? code : (MqttConnectReasonCode?)null);

    /// <summary>Whether the next PUBLISH is refused, and how (a reason code, or <see langword="null"/> to drop the connection).</summary>
    internal bool TakePublishFault(string clientId, out MqttPubAckReasonCode? reasonCode)
    {
        MqttPubAckReasonCode? code = null;
        var armed = Take(clientId, faults => faults.Publishes.TryDequeue(out code));
        reasonCode = code;
        return armed;
    }

    /// <summary>The refusal of the next SUBSCRIBE, if one is armed.</summary>
    internal MqttSubscribeReasonCode? TakeSubscribeFault(string clientId) =>
        Take(clientId, faults => faults.Subscribes.TryDequeue(out var code) ? code : (MqttSubscribeReasonCode?)null);

    private void Arm(string clientId, Action<ClientFaults> arm)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        lock (_faults)
        {
            if (!_faults.TryGetValue(clientId, out var faults))
            {
                faults = new ClientFaults();
                _faults[clientId] = faults;
            }

            arm(faults);
        }
    }

    private T Take<T>(string clientId, Func<ClientFaults, T> take)
    {
        lock (_faults)
        {
            return _faults.TryGetValue(clientId, out var faults) ? take(faults) : take(ClientFaults.None);
        }
    }
}
