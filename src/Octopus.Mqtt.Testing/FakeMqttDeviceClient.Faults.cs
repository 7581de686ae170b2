using MQTTnet.Protocol;

namespace Octopus.Mqtt.Testing;

/// <summary>Failures a test arms for the client's next connect, publish or subscribe.</summary>
public sealed partial class FakeMqttDeviceClient
{
    private readonly Queue<(Exception? Exception, MqttPublishResult? Result)> _publishFailures = new();
    private readonly Queue<Exception?> _subscribeFailures = new();

    /// <summary>
    /// Makes the broker refuse the next connection attempt (<see cref="ConnectAsync"/>, <see cref="SimulateReconnectAsync"/>
    /// or a reconnect of the client's own) as not authorized: the client reports a <see cref="MqttDeviceClientException"/>
    /// with reason code 135, as with a real broker; each call arms one more failure.
    /// </summary>
    public void FailNextConnect() => _broker.RefuseNextConnect(ClientId, MqttConnectReasonCode.NotAuthorized);

    /// <summary>
    /// Makes the next connection attempt fail as when the broker cannot be reached: the transport throws
    /// <paramref name="exception"/>, which the client reports as the real one does, as the
    /// <see cref="Exception.InnerException"/> of a <see cref="MqttDeviceClientException"/> ("Connecting to the MQTT
    /// broker as … failed: …"); each call arms one more failure.
    /// </summary>
    /// <param name="exception">The failure of the transport.</param>
    public void FailNextConnect(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        _broker.FailNextOpen(ClientId, exception);
    }

    /// <summary>
    /// Makes the next publish return <c>Dropped (RefusedByBroker, reason code 135)</c>, the message not reaching the
    /// broker; each call arms one more failure. With <c>client.protocolVersion</c> 5 the broker refuses the next
    /// PUBLISH packet it receives (a QoS 0 one is discarded without a word, as with a real broker, and the call says
    /// Delivered); MQTT 3.1.1 has no refusal, so the client's next publish call returns the result itself.
    /// </summary>
    public void FailNextPublish()
    {
        if (_version5)
        {
            _broker.RefuseNextPublish(ClientId, MqttPubAckReasonCode.NotAuthorized);
            return;
        }

        FailNextPublish(MqttPublishResult.Dropped(MqttDropReason.RefusedByBroker, 135));
    }

    /// <summary>Makes the next publish call throw <paramref name="exception"/> without reaching the client; each call arms one more failure.</summary>
    /// <param name="exception">The exception, for example the <see cref="MqttDeviceClientException"/> of a full queue under <see cref="MqttQueueOverflowPolicy.Refuse"/>.</param>
    public void FailNextPublish(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        lock (_publishFailures)
        {
            _publishFailures.Enqueue((exception, null));
        }
    }

    /// <summary>Makes the next publish call return <paramref name="result"/> without reaching the client; each call arms one more failure.</summary>
    /// <param name="result">The result, for example <c>MqttPublishResult.Dropped(MqttDropReason.QueueOverflow)</c>.</param>
    public void FailNextPublish(MqttPublishResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        lock (_publishFailures)
        {
            _publishFailures.Enqueue((null, result));
        }
    }

    /// <summary>
    /// Makes the broker refuse the next SUBSCRIBE it receives from the client (every topic filter in it):
    /// <c>SubscribeAsync</c> throws the <see cref="MqttDeviceClientException"/> of the real client, with reason
    /// code 128 (UnspecifiedError: an MQTT 3.1.1 SUBACK carries no reason), or 135 (NotAuthorized) with
    /// <c>client.protocolVersion</c> 5; each call arms one more failure.
    /// </summary>
    /// <remarks>
    /// As with a real broker, the new set and handler are kept, and the refused filters are requested again on the
    /// next call or reconnect. The SUBSCRIBE a (re)connect sends is refused without an exception. A call that adds no
    /// topic filter sends no SUBSCRIBE, and leaves the failure armed.
    /// </remarks>
    public void FailNextSubscribe() => ArmSubscribeFailure(null);

    /// <summary>Makes the broker refuse the next SUBSCRIBE, and <c>SubscribeAsync</c> throw <paramref name="exception"/> instead of the client's own error; each call arms one more failure.</summary>
    /// <param name="exception">The exception.</param>
    /// <remarks>See <see cref="FailNextSubscribe()"/>.</remarks>
    public void FailNextSubscribe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArmSubscribeFailure(exception);
    }

    private void ArmSubscribeFailure(Exception? exception)
    {
        lock (_subscribeFailures)
        {
            _subscribeFailures.Enqueue(exception);
        }

        _broker.RefuseNextSubscribe(ClientId, MqttSubscribeReasonCode.NotAuthorized);
    }

    /// <summary>Takes the exception a refused subscription call throws instead of the client's, if one was armed.</summary>
    private Exception? TakeSubscribeFailure()
    {
        lock (_subscribeFailures)
        {
            return _subscribeFailures.TryDequeue(out var exception) ? exception : null;
        }
    }

    /// <summary>Takes the failure armed for the next publish call, if any.</summary>
    private bool TryTakePublishFailure(out MqttPublishResult? result)
    {
        (Exception? Exception, MqttPublishResult? Result) failure;
        lock (_publishFailures)
        {
            if (!_publishFailures.TryDequeue(out failure))
            {
                result = null;
                return false;
            }
        }

        result = failure.Result ?? throw failure.Exception!;
        return true;
    }
}
