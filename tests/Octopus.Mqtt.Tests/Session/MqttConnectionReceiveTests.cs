using System.Collections.Concurrent;
using MQTTnet;
using MQTTnet.Packets;
using Octopus.Mqtt.Tests.Connection;

namespace Octopus.Mqtt.Tests.Session;

public sealed class MqttConnectionReceiveTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StartReceiving_PacketsThatArrivedTogether_CaughtUpOnceAfterTheLastBeforeWaiting()
    {
        var wire = new ScriptedWire();
        wire.Arrive(Ack(1), Ack(2), Ack(3));
        var events = new ConcurrentQueue<string>();
        using var connection = new MqttConnection(wire, Options());

        connection.StartReceiving((_, packet) => events.Enqueue("ack " + ((MqttPubAckPacket)packet).PacketIdentifier), _ => events.Enqueue("caught up"));
        await Eventually.TrueAsync(() => events.Count == 4, "the three packets and one catch-up");

        events.Should().Equal("ack 1", "ack 2", "ack 3", "caught up");
    }

    [Fact]
    public async Task StartReceiving_OnePacketAtATime_CaughtUpAfterEach()
    {
        var wire = new ScriptedWire();
        var events = new ConcurrentQueue<string>();
        using var connection = new MqttConnection(wire, Options());
        connection.StartReceiving((_, packet) => events.Enqueue("ack " + ((MqttPubAckPacket)packet).PacketIdentifier), _ => events.Enqueue("caught up"));
        await wire.WaitingForNetwork.WaitAsync(Ct);
        events.Should().BeEmpty("nothing was handled, so there is nothing to catch up on");

        wire.Arrive(Ack(1));
        await Eventually.TrueAsync(() => events.Count == 2, "the first packet and its catch-up");
        wire.Arrive(Ack(2));
        await Eventually.TrueAsync(() => events.Count == 4, "the second packet and its catch-up");

        events.Should().Equal("ack 1", "caught up", "ack 2", "caught up");
    }

    [Fact]
    public async Task StartReceiving_ReaderNeverWaits_CaughtUpAtLeastEveryMaxPackets()
    {
        var wire = new ScriptedWire();
        var count = (MqttConnection.MaxPacketsBetweenCatchUps * 2) + 5;
        wire.Arrive([.. Enumerable.Range(1, count).Select(i => (MqttPacket)Ack((ushort)i))]);
        var handled = 0;
        var caughtUpAfter = new ConcurrentQueue<int>();
        using var connection = new MqttConnection(wire, Options());

        connection.StartReceiving((_, _) => handled++, _ => caughtUpAfter.Enqueue(Volatile.Read(ref handled)));
        await Eventually.TrueAsync(() => caughtUpAfter.Count == 3, "three catch-ups");

        caughtUpAfter.Should().Equal(MqttConnection.MaxPacketsBetweenCatchUps, MqttConnection.MaxPacketsBetweenCatchUps * 2, count);
    }

    private static MqttPubAckPacket Ack(ushort id) => new() { PacketIdentifier = id };

    private static MqttClientOptions Options() => new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1").Build();

    /// <summary>A wire whose reads complete at once while packets have arrived, and wait (as for the network) when none has.</summary>
    private sealed class ScriptedWire : IMqttWire
    {
        private readonly Lock _gate = new();
        private readonly Queue<MqttPacket> _arrived = new();
        private TaskCompletionSource<MqttPacket?>? _pending;
        private readonly TaskCompletionSource _waiting = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Gets a task completed when a read found nothing and waits.</summary>
        public Task WaitingForNetwork => _waiting.Task;

        public void Arrive(params MqttPacket[] packets)
        {
            TaskCompletionSource<MqttPacket?>? pending;
            lock (_gate)
            {
                foreach (var packet in packets)
                {
                    _arrived.Enqueue(packet);
                }

                pending = _pending;
                _pending = null;
                if (pending is not null)
                {
                    pending.SetResult(_arrived.Dequeue());
                }
            }
        }

        public ValueTask<MqttPacket?> ReceiveAsync(CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                if (_arrived.TryDequeue(out var packet))
                {
                    return new ValueTask<MqttPacket?>(packet);
                }

                _pending = new TaskCompletionSource<MqttPacket?>(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiting.TrySetResult();
                return new ValueTask<MqttPacket?>(_pending.Task);
            }
        }

        public Task OpenAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public ValueTask SendAsync(MqttPacket packet, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public void Enqueue(MqttPacket packet)
        {
        }

        public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public void Dispose()
        {
            lock (_gate)
            {
                _pending?.TrySetResult(null);
                _pending = null;
            }
        }
    }
}
