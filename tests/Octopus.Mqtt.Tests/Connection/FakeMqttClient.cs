using System.Buffers;
using MQTTnet;
using MQTTnet.Diagnostics.PacketInspection;
using MQTTnet.Exceptions;
using MQTTnet.Packets;

namespace Octopus.Mqtt.Tests.Connection;

/// <summary>An in-memory <see cref="IMqttClient"/> driven by a <see cref="FakeBroker"/>; behaves as MQTTnet does where the engine depends on it.</summary>
internal sealed class FakeMqttClient(FakeBroker broker, int index) : IMqttClient
{
    private readonly List<(PublishedMessage Message, TaskCompletionSource<MqttClientPublishResult> Completion)> _pending = [];
    private Func<MqttApplicationMessageReceivedEventArgs, Task>? _received;
    private Func<MqttClientDisconnectedEventArgs, Task>? _disconnected;

    public event Func<MqttApplicationMessageReceivedEventArgs, Task> ApplicationMessageReceivedAsync
    {
        add => _received += value;
        remove => _received -= value;
    }

    public event Func<MqttClientConnectedEventArgs, Task> ConnectedAsync
    {
        add { }
        remove { }
    }

    public event Func<MqttClientConnectingEventArgs, Task> ConnectingAsync
    {
        add { }
        remove { }
    }

    public event Func<MqttClientDisconnectedEventArgs, Task> DisconnectedAsync
    {
        add => _disconnected += value;
        remove => _disconnected -= value;
    }

    public event Func<InspectMqttPacketEventArgs, Task> InspectPacketAsync
    {
        add { }
        remove { }
    }

    public int Index => index;

    public bool IsConnected { get; private set; }

    public bool IsDisposed { get; private set; }

    public MqttClientOptions Options { get; private set; } = null!;

    public MqttClientDisconnectOptions? DisconnectedWith { get; private set; }

    public Task<MqttClientConnectResult> ConnectAsync(MqttClientOptions options, CancellationToken cancellationToken)
    {
        Options = options;
        var result = broker.Connect(options);
        IsConnected = result.ResultCode == MqttClientConnectResultCode.Success;
        return Task.FromResult(result);
    }

    public Task DisconnectAsync(MqttClientDisconnectOptions options, CancellationToken cancellationToken)
    {
        DisconnectedWith = options;
        IsConnected = false;
        FailPending(new MqttClientDisconnectedException(null));
        return Task.CompletedTask;
    }

    public Task PingAsync(CancellationToken cancellationToken)
    {
        if (!IsConnected)
        {
            throw new MqttClientNotConnectedException();
        }

        broker.CountPing();
        return broker.HoldPings ? Task.Delay(Timeout.Infinite, cancellationToken) : Task.CompletedTask;
    }

    public Task<MqttClientPublishResult> PublishAsync(MqttApplicationMessage applicationMessage, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!IsConnected)
        {
            throw new MqttClientNotConnectedException();
        }

        var message = new PublishedMessage(
            applicationMessage.Topic,
            applicationMessage.Payload.ToArray(),
            applicationMessage.QualityOfServiceLevel,
            applicationMessage.Retain,
            applicationMessage.Dup,
            index);
        broker.Attempts.Enqueue(message);
        if (!broker.HoldPublishes)
        {
            broker.Published.Enqueue(message);
            return Task.FromResult(Result());
        }

        var completion = new TaskCompletionSource<MqttClientPublishResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_pending)
        {
            _pending.Add((message, completion));
        }

        cancellationToken.Register(() => completion.TrySetCanceled(cancellationToken));
        return completion.Task;
    }

    public Task SendEnhancedAuthenticationExchangeDataAsync(MqttEnhancedAuthenticationExchangeData data, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<MqttClientSubscribeResult> SubscribeAsync(MqttClientSubscribeOptions options, CancellationToken cancellationToken)
    {
        if (!IsConnected)
        {
            throw new MqttClientNotConnectedException();
        }

        var items = new List<MqttClientSubscribeResultItem>();
        foreach (var filter in options.TopicFilters)
        {
            broker.SubscriptionLog.Enqueue($"+{filter.Topic}@{(int)filter.QualityOfServiceLevel}");
            var code = broker.RefusedFilters.TryGetValue(filter.Topic, out var refused) ? refused : (MqttClientSubscribeResultCode)filter.QualityOfServiceLevel;
            items.Add(new MqttClientSubscribeResultItem(filter, code));
        }

        return Task.FromResult(new MqttClientSubscribeResult(1, items, string.Empty, []));
    }

    public Task<MqttClientUnsubscribeResult> UnsubscribeAsync(MqttClientUnsubscribeOptions options, CancellationToken cancellationToken)
    {
        if (!IsConnected)
        {
            throw new MqttClientNotConnectedException();
        }

        var items = new List<MqttClientUnsubscribeResultItem>();
        foreach (var filter in options.TopicFilters)
        {
            broker.SubscriptionLog.Enqueue($"-{filter}");
            items.Add(new MqttClientUnsubscribeResultItem(filter, MqttClientUnsubscribeResultCode.Success));
        }

        return Task.FromResult(new MqttClientUnsubscribeResult(1, items, string.Empty, []));
    }

    public void Dispose()
    {
        IsDisposed = true;
        IsConnected = false;
        FailPending(new ObjectDisposedException(nameof(FakeMqttClient)));
    }

    /// <summary>Simulates a lost connection, as MQTTnet reports it.</summary>
    public Task DropAsync()
    {
        IsConnected = false;
        FailPending(new MqttCommunicationException("Connection reset."));
        var handler = _disconnected;
        return handler is null
            ? Task.CompletedTask
            : handler(new MqttClientDisconnectedEventArgs(true, null, MqttClientDisconnectReason.UnspecifiedError, "reset", [], new MqttCommunicationException("Connection reset.")));
    }

    /// <summary>Simulates a message arriving on a subscription.</summary>
    public Task DeliverAsync(string topic, string payload)
    {
        var message = new MqttApplicationMessage { Topic = topic, Payload = new ReadOnlySequence<byte>(System.Text.Encoding.UTF8.GetBytes(payload)) };
        var args = new MqttApplicationMessageReceivedEventArgs("fake", message, new MqttPublishPacket { Topic = topic }, static (_, _) => Task.CompletedTask);
        return _received?.Invoke(args) ?? Task.CompletedTask;
    }

    public void AcknowledgePending()
    {
        List<(PublishedMessage Message, TaskCompletionSource<MqttClientPublishResult> Completion)> pending;
        lock (_pending)
        {
            pending = [.. _pending];
            _pending.Clear();
        }

        foreach (var (message, completion) in pending)
        {
            if (completion.Task.IsCompleted)
            {
                continue;
            }

            broker.Published.Enqueue(message);
            completion.TrySetResult(Result());
        }
    }

    private MqttClientPublishResult Result() => new(1, broker.PublishReason, null, []);

    private void FailPending(Exception exception)
    {
        List<(PublishedMessage Message, TaskCompletionSource<MqttClientPublishResult> Completion)> pending;
        lock (_pending)
        {
            pending = [.. _pending];
            _pending.Clear();
        }

        foreach (var (_, completion) in pending)
        {
            completion.TrySetException(exception);
        }
    }
}
