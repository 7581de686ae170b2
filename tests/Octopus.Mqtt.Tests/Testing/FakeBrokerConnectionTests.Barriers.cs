using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using Octopus.Mqtt.Testing;
using Octopus.Mqtt.Tests.Connection;
using static Octopus.Mqtt.Tests.Testing.FakeSetup;

namespace Octopus.Mqtt.Tests.Testing;

public sealed partial class FakeBrokerConnectionTests
{
    [Fact]
    public async Task PublishAsync_ConnectionWithHandlerOutcome_WaitsForTheBarrierAndReturnsTheOutcome()
    {
        var options = Options("a", V311);
        var connection = _broker.CreateWire(options, null, () => new DeliveryOutcome(3, null));
        await connection.OpenAsync(Ct);
        await connection.SendAsync(MqttConnectPacketFactory.Create(options), Ct);
        await NextAsync<MqttConnAckPacket>(connection);
        await connection.SendAsync(Subscribe(1, ("t", MqttQualityOfServiceLevel.AtMostOnce)), Ct);
        await NextAsync<MqttSubAckPacket>(connection);

        var publish = _broker.PublishAsync("t", Bytes("x"), MqttQos.AtMostOnce, cancellationToken: Ct);
        (await NextAsync<MqttPublishPacket>(connection)).Topic.Should().Be("t");
        var barrier = await NextAsync<MqttPubRelPacket>(connection);
        publish.IsCompleted.Should().BeFalse("the client has not answered the barrier");
        await connection.SendAsync(new MqttPubCompPacket { PacketIdentifier = barrier.PacketIdentifier }, Ct);

        (await publish.WaitAsync(Eventually.DefaultTimeout, Ct)).Should().Be(3);
    }

    [Fact]
    public async Task WhenHandledAsync_Connected_CompletesOnTheBarriersPubCompOrWhenTheConnectionEnds()
    {
        var connection = await ConnectAsync(Options("a", V311));

        var handled = connection.WhenHandledAsync();
        var barrier = await NextAsync<MqttPubRelPacket>(connection);
        handled.IsCompleted.Should().BeFalse();
        await connection.SendAsync(new MqttPubCompPacket { PacketIdentifier = barrier.PacketIdentifier }, Ct);
        await handled.WaitAsync(Eventually.DefaultTimeout, Ct);

        var unanswered = _broker.WhenHandledAsync("a");
        await connection.DropAsync(new IOException("gone"), publishWill: false);

        await unanswered.WaitAsync(Eventually.DefaultTimeout, Ct);
        await FluentActions.Awaiting(() => connection.ReceiveAsync(Ct).AsTask()).Should().ThrowAsync<IOException>().WithMessage("gone");
    }
}
