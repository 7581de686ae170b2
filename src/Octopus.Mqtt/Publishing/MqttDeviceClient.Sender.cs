using System.Runtime.CompilerServices;
using MQTTnet.Packets;

namespace Octopus.Mqtt;

/// <summary>The sender: takes the messages the window allows and writes their PUBLISH packets together.</summary>
internal sealed partial class MqttDeviceClient
{
    // Used by the sender loop only: the messages of the batch being sent, their outcomes, and the one PUBLISH packet
    // every message is encoded from (the wire encodes it before Enqueue returns).
    private readonly List<OutboundMessage> _sendBatch = [];
    private readonly List<MqttPublishResult?> _sendOutcomes = [];
    private readonly List<bool> _sendTaken = [];
    private readonly MqttPublishPacket _publishPacket = new();

    /// <summary>
    /// The single sender: while a connection is ready, takes messages in sequence order and writes their PUBLISH,
    /// every message the window allows at once (up to <see cref="MaxPipelined"/>) in one write. With
    /// <c>client.order</c> a message waits until the one before it is acknowledged; otherwise QoS 1 and 2 messages are
    /// pipelined up to the connection's window (the broker's Receive Maximum, at most 64). Acknowledgements arrive on
    /// the connection's reader (<see cref="OnPacket"/>). Nothing escapes the loop: a fault in one message's send is
    /// that message's outcome.
    /// </summary>
    private async Task RunSenderAsync()
    {
        while (!_stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SendNextAsync().ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                // Nothing may end the sender: a fault here would leave every later publish queued for ever.
                TryLogListenerFailed(exception);
            }
        }
    }

    /// <summary>Sends the next messages the window allows, or waits for a reason to look again.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendNextAsync()
    {
        MqttConnection? connection;
        ValueTask signal = default;
        var batch = _sendBatch;
        lock (_gate)
        {
            if (_stoppingToken.IsCancellationRequested)
            {
                return;
            }

            connection = _ready;
            while (connection is { IsLost: false } && batch.Count < MaxPipelined && _queue.Count > 0 && CanSendLocked(connection, _queue.Peek()))
            {
                var message = _queue.Dequeue();
                _writing++;
                if (message.Qos != MqttQos.AtMostOnce)
                {
                    _inFlight.Begin(message);
                    message.SentTimestamp = _time.GetTimestamp();
                }

                // Held by the batch: its PUBACK may end it, on the reader, before the sender is done with it.
                message.Hold();
                batch.Add(message);
            }

            if (batch.Count > 0)
            {
                AdmitWaitersLocked();
            }
            else
            {
                signal = _senderSignal.WaitLocked();
            }
        }

        if (batch.Count == 0)
        {
            await signal.ConfigureAwait(false);
            return;
        }

        try
        {
            await SendBatchAsync(connection!, batch).ConfigureAwait(false);
        }
        finally
        {
            foreach (var message in batch)
            {
                message.Release();
            }

            batch.Clear();
            _sendOutcomes.Clear();
            _sendTaken.Clear();
        }
    }

    private bool CanSendLocked(MqttConnection connection, OutboundMessage next) =>
        _order ? _inFlight.Count == 0 && _writing == 0 : next.Qos == MqttQos.AtMostOnce || _inFlight.Count < connection.Window;

    /// <summary>
    /// Writes the first PUBLISH on this session of each message of the batch, in one write; each message's outcome
    /// comes with its acknowledgement (QoS 1, 2) or once the write ended (QoS 0).
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendBatchAsync(MqttConnection connection, List<OutboundMessage> batch)
    {
        Exception? failure = null;
        var taken = 0;
        foreach (var message in batch)
        {
            var (outcome, isTaken) = Take(connection, message, ref failure);
            _sendOutcomes.Add(outcome);
            _sendTaken.Add(isTaken);
            taken += isTaken ? 1 : 0;
        }

        if (taken > 0 && failure is null)
        {
            try
            {
                await connection.FlushAsync().ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                failure = exception;
            }
        }

        var watch = false;
        for (var i = 0; i < batch.Count; i++)
        {
            var message = batch[i];
            if (_sendOutcomes[i] is not null)
            {
                continue;
            }

            if (_sendTaken[i] && failure is null)
            {
                if (message.Qos == MqttQos.AtMostOnce)
                {
                    _sendOutcomes[i] = MqttPublishResult.Delivered;
                }
                else
                {
                    watch = true;
                }
            }
            else if (failure is not null)
            {
                // The connection is lost: a QoS 1 or 2 message stays in flight (sent again on a resumed session, or
                // queued again on a new one); a QoS 0 message goes back to the queue.
                TryLogPublishFailed(failure, message);
            }
        }

        if (watch)
        {
            _ackDeadline?.Watch();
        }

        Complete(batch, failure);
    }

    /// <summary>Checks a message and hands its PUBLISH to the connection.</summary>
    /// <returns>The message's outcome when it is decided now, and whether the connection took the packet.</returns>
    private (MqttPublishResult? Outcome, bool Taken) Take(MqttConnection connection, OutboundMessage message, ref Exception? failure)
    {
        if (failure is not null)
        {
            return (null, false);
        }

        try
        {
            if (BrokerLimits.GetViolation(connection.ConnectResult, connection.ProtocolVersion, message) is { } violation)
            {
                // The broker would close the connection, again after every resend.
                Log.PublishInvalid(_logger, new MqttDeviceClientException($"The message cannot be sent to this broker: {violation}."), message.Sequence, _clientId, message.Topic);
                return (MqttPublishResult.Dropped(MqttDropReason.Invalid), false);
            }

            if (message.Properties is { } properties && properties.IsExpired(_time.GetUtcNow()))
            {
                return (MqttPublishResult.Dropped(MqttDropReason.Expired), false);
            }

            if (!TrySaveProgress(message))
            {
                return (MqttPublishResult.Dropped(MqttDropReason.StoreFailed), false);
            }

            try
            {
                connection.Enqueue(message.FillPublishPacket(_publishPacket, dup: false));
                return (null, true);
            }
            catch (Exception exception) when (!connection.IsLost)
            {
                // Refused by the codec before anything was taken: sending again would fail again.
                Log.PublishInvalid(_logger, exception, message.Sequence, _clientId, message.Topic);
                return (MqttPublishResult.Dropped(MqttDropReason.Invalid), false);
            }
            catch (Exception exception)
            {
                failure = exception;
                return (null, false);
            }
        }
        catch (Exception exception)
        {
            // A logger or listener failed around the send: the message is not lost, it is sent again.
            TryLogListenerFailed(exception);
            return (null, false);
        }
    }

    private void TryLogPublishFailed(Exception failure, OutboundMessage message)
    {
        try
        {
            Log.PublishFailed(_logger, failure, message.Sequence, _clientId);
            _telemetry?.SendFailed(false);
        }
        catch (Exception exception)
        {
            TryLogListenerFailed(exception);
        }
    }

    /// <summary>Ends the batch: outcomes are set, unsent QoS 0 messages go back to the queue, the signals fire.</summary>
    private void Complete(List<OutboundMessage> batch, Exception? failure)
    {
        bool late;
        lock (_gate)
        {
            _writing -= batch.Count;
            late = _closed;
            for (var i = 0; i < batch.Count; i++)
            {
                var message = batch[i];
                if (_sendOutcomes[i] is not null)
                {
                    _inFlight.Remove(message);
                }
                else if (message.Qos == MqttQos.AtMostOnce && !late && (failure is not null || !_sendTaken[i]))
                {
                    _queue.Insert(message);
                }
            }

            _senderSignal.SetLocked();
            SignalProgressLocked();
        }

        for (var i = 0; i < batch.Count; i++)
        {
            var message = batch[i];
            if (_sendOutcomes[i] is { } outcome)
            {
                Finish(message, outcome);
            }
            else if (late && message.Qos == MqttQos.AtMostOnce && (failure is not null || !_sendTaken[i]))
            {
                Finish(message, GetFinalResult(message));
            }
        }
    }
}
