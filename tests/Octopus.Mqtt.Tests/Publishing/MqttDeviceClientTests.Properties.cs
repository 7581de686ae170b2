using System.Text;
using MQTTnet.Protocol;
using Octopus.Mqtt.Tests.Connection;

namespace Octopus.Mqtt.Tests.Publishing;

public sealed partial class MqttDeviceClientTests
{
    private static readonly MqttPublishOptions EveryProperty = new()
    {
        UserProperties = [new("site", "nord"), new("site", "süd")],
        ContentType = "text/plain; charset=utf-8",
        PayloadFormat = MqttPayloadFormat.Utf8,
        MessageExpiryInterval = TimeSpan.FromSeconds(30),
        ResponseTopic = "replies/case1",
        CorrelationData = new byte[] { 7, 8, 9 },
    };

    private void UseMqtt5()
    {
        _harness.Client.ProtocolVersion = 5;
    }

    private MqttDeviceClient CreateStoredMqtt5Client(FileMessageStore store)
    {
        _harness.Store = store;
        var client = _harness.Create();
        _harness.Store = null;
        return client;
    }

    [Fact]
    public async Task PublishAsync_Mqtt5WithEveryProperty_SendsThemInThePublish()
    {
        UseMqtt5();
        var client = await _harness.ConnectedAsync();

        (await client.PublishAsync(Bytes("x"), EveryProperty, Ct)).Should().BeSameAs(MqttPublishResult.Delivered);

        var packet = _harness.Broker.Published.Should().ContainSingle().Subject.Packet!;
        packet.UserProperties.Select(p => (p.Name, Encoding.UTF8.GetString(p.ValueBuffer.Span))).Should().Equal(("site", "nord"), ("site", "süd"));
        packet.ContentType.Should().Be("text/plain; charset=utf-8");
        packet.PayloadFormatIndicator.Should().Be(MqttPayloadFormatIndicator.CharacterData);
        packet.MessageExpiryInterval.Should().Be(30);
        packet.ResponseTopic.Should().Be("replies/case1");
        packet.CorrelationData.Should().Equal(7, 8, 9);
    }

    [Fact]
    public async Task PublishAsync_Mqtt5Json_IsMarkedApplicationJsonUtf8ButBytesAreNot()
    {
        UseMqtt5();
        var client = await _harness.ConnectedAsync();

        await client.PublishAsync("on", null, Ct);
        await client.PublishAsync(Bytes("raw"), null, Ct);

        var packets = _harness.Broker.Published.Select(m => m.Packet!).ToArray();
        packets[0].ContentType.Should().Be("application/json");
        packets[0].PayloadFormatIndicator.Should().Be(MqttPayloadFormatIndicator.CharacterData);
        packets[1].ContentType.Should().BeNull();
        packets[1].PayloadFormatIndicator.Should().Be(MqttPayloadFormatIndicator.Unspecified);
    }

    [Fact]
    public async Task PublishAsync_JsonContentTypeTurnedOff_SendsNoContentType()
    {
        UseMqtt5();
        _harness.Options.JsonContentType = null;
        var client = await _harness.ConnectedAsync();

        await client.PublishAsync("on", null, Ct);

        var packet = _harness.Broker.Published.Should().ContainSingle().Subject.Packet!;
        packet.ContentType.Should().BeNull();
        packet.PayloadFormatIndicator.Should().Be(MqttPayloadFormatIndicator.Unspecified);
    }

    [Fact]
    public async Task PublishAsync_Mqtt311Json_CarriesNoProperties()
    {
        var client = await _harness.ConnectedAsync();

        await client.PublishAsync("on", null, Ct);

        var packet = _harness.Broker.Published.Should().ContainSingle().Subject.Packet!;
        packet.ContentType.Should().BeNull();
        packet.UserProperties.Should().BeNull();
    }

    [Theory]
    [InlineData("UserProperties")]
    [InlineData("ContentType")]
    [InlineData("PayloadFormat")]
    [InlineData("ResponseTopic")]
    [InlineData("CorrelationData")]
    public async Task PublishAsync_Mqtt311WithAnMqtt5Property_IsRefusedNamingIt(string property)
    {
        _harness.Client.ProtocolVersion = 4;
        var client = _harness.Create();
        var options = property switch
        {
            "UserProperties" => new MqttPublishOptions { UserProperties = [new("a", "b")] },
            "ContentType" => new MqttPublishOptions { ContentType = "text/plain" },
            "PayloadFormat" => new MqttPublishOptions { PayloadFormat = MqttPayloadFormat.Utf8 },
            "ResponseTopic" => new MqttPublishOptions { ResponseTopic = "replies" },
            _ => new MqttPublishOptions { CorrelationData = new byte[] { 1 } },
        };

        await FluentActions.Awaiting(() => client.PublishAsync(Bytes("x"), options, Ct).AsTask())
            .Should().ThrowAsync<ArgumentException>()
            .WithMessage($"MqttPublishOptions.{property} is an MQTT 5 property and cannot be sent over MQTT 3.1.1 (client.protocolVersion 4); set client.protocolVersion to 5, or leave it unset. (Parameter 'options')");
        client.QueuedCount.Should().Be(0);
    }

    [Fact]
    public async Task PublishAsync_Mqtt31WithAnExpiry_IsAcceptedAndHonouredLocally()
    {
        _harness.Client.ProtocolVersion = 3;
        var client = _harness.Create();

        (await client.PublishAsync(Bytes("x"), new MqttPublishOptions { MessageExpiryInterval = TimeSpan.FromSeconds(5) }, Ct)).Should().BeSameAs(MqttPublishResult.Queued);
        _harness.Time.Advance(TimeSpan.FromSeconds(5));
        await client.ConnectAsync(Ct);

        await Eventually.TrueAsync(() => client.DroppedCount == 1, "the expired message is dropped");
        _harness.Broker.Published.Should().BeEmpty();
    }

    [Fact]
    public async Task PublishAsync_ZeroExpiry_IsRefused()
    {
        var client = _harness.Create();

        await FluentActions.Awaiting(() => client.PublishAsync(Bytes("x"), new MqttPublishOptions { MessageExpiryInterval = TimeSpan.Zero }, Ct).AsTask())
            .Should().ThrowAsync<ArgumentException>()
            .WithMessage($"MqttPublishOptions.MessageExpiryInterval 00:00:00 is not between 1 tick and {uint.MaxValue} seconds. (Parameter 'options')");
    }

    [Fact]
    public async Task PublishAsync_ExpiredWhileQueued_IsDroppedAsExpiredLoggedAndCounted()
    {
        _harness.Client.WaitTimeout = GoDuration.FromMinutes(5);
        var client = _harness.Create();
        var stale = client.PublishAsync(Bytes("stale"), new MqttPublishOptions { MessageExpiryInterval = TimeSpan.FromSeconds(10) }, Ct).AsTask();
        _harness.Time.Advance(TimeSpan.FromSeconds(11));
        var fresh = client.PublishAsync(Bytes("fresh"), new MqttPublishOptions { MessageExpiryInterval = TimeSpan.FromSeconds(10) }, Ct).AsTask();

        await client.ConnectAsync(Ct);

        (await stale).Should().BeSameAs(MqttPublishResult.Dropped(MqttDropReason.Expired));
        (await fresh).Should().BeSameAs(MqttPublishResult.Delivered);
        PublishedTexts().Should().Equal("fresh");
        client.DroppedCount.Should().Be(1);
        _harness.Logger.Collector.GetSnapshot().Should().Contain(r => r.Id.Id == 1100 && r.Message.EndsWith(": Expired.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PublishAsync_Mqtt5ExpiryPartlySpentWhileQueued_SendsTheRemainingInterval()
    {
        UseMqtt5();
        _harness.Message.Expiry = GoDuration.FromSeconds(10);
        var client = _harness.Create();
        await client.PublishAsync(Bytes("x"), null, Ct);
        _harness.Time.Advance(TimeSpan.FromSeconds(4));

        await client.ConnectAsync(Ct);

        await Eventually.TrueAsync(() => !_harness.Broker.Published.IsEmpty, "the message is sent");
        _harness.Broker.Published.Single().Packet!.MessageExpiryInterval.Should().Be(6);
    }

    [Fact]
    public async Task PublishAsync_OptionsExpiry_AppliesWhenTheMessageOptionIsUnset()
    {
        _harness.Options.MessageExpiryInterval = TimeSpan.FromSeconds(1);
        var client = _harness.Create();
        await client.PublishAsync(Bytes("x"), null, Ct);
        _harness.Time.Advance(TimeSpan.FromSeconds(1));

        await client.ConnectAsync(Ct);

        await Eventually.TrueAsync(() => client.DroppedCount == 1, "the expired message is dropped");
    }

    [Fact]
    public async Task PublishAsync_CoalesceRetained_ANewerRetainedStatusSupersedesTheQueuedOne()
    {
        _harness.Message.CoalesceRetained = true;
        _harness.Client.WaitTimeout = GoDuration.FromMinutes(5);
        var client = _harness.Create();
        var first = client.PublishAsync(Bytes("status 1"), null, Ct).AsTask();
        var other = client.PublishAsync(Bytes("other topic"), new MqttPublishOptions { RenderMap = new Dictionary<string, string> { ["name"] = "case2" } }, Ct).AsTask();
        var evt = client.PublishAsync(Bytes("event"), new MqttPublishOptions { Retained = false }, Ct).AsTask();
        var second = client.PublishAsync(Bytes("status 2"), null, Ct).AsTask();

        (await first).Should().BeSameAs(MqttPublishResult.Dropped(MqttDropReason.Superseded));
        client.QueuedCount.Should().Be(3);
        await client.ConnectAsync(Ct);

        (await second).Should().BeSameAs(MqttPublishResult.Delivered);
        (await other).Should().BeSameAs(MqttPublishResult.Delivered);
        (await evt).Should().BeSameAs(MqttPublishResult.Delivered);
        PublishedTexts().Should().Equal("other topic", "event", "status 2");
        client.DroppedCount.Should().Be(1);
    }

    [Fact]
    public async Task PublishAsync_WithoutCoalescing_KeepsEveryRetainedStatus()
    {
        var client = _harness.Create();
        await client.PublishAsync(Bytes("status 1"), null, Ct);
        await client.PublishAsync(Bytes("status 2"), null, Ct);

        client.QueuedCount.Should().Be(2);
    }

    [Fact]
    public async Task Adopt_HandedOverMessage_KeepsItsPropertiesAndExpiry()
    {
        UseMqtt5();
        var predecessor = _harness.Create();
        await predecessor.PublishAsync(Bytes("handed over"), EveryProperty, Ct);
        var taken = await predecessor.DisposeAndHandOverAsync(keepStored: false);
        _harness.Time.Advance(TimeSpan.FromSeconds(10));

        var successor = _harness.Create();
        successor.Adopt(taken);
        await successor.ConnectAsync(Ct);

        await Eventually.TrueAsync(() => !_harness.Broker.Published.IsEmpty, "the handed-over message is sent");
        var packet = _harness.Broker.Published.Single().Packet!;
        packet.ContentType.Should().Be("text/plain; charset=utf-8");
        packet.UserProperties.Should().HaveCount(2);
        packet.CorrelationData.Should().Equal(7, 8, 9);
        packet.MessageExpiryInterval.Should().Be(20, "30 s less the 10 s before the successor sent it");
    }

    [Fact]
    public async Task FileStore_PropertiesAndExpiry_SurviveARestart()
    {
        UseMqtt5();
        UseFileStore();
        var firstStore = new FileMessageStore(_storeDirectory.Path, _harness.Device.Uid, _harness.Logger);
        var killed = CreateStoredMqtt5Client(firstStore);
        await killed.PublishAsync(Bytes("kept"), EveryProperty, Ct);
        await killed.PublishAsync(Bytes("short-lived"), new MqttPublishOptions { MessageExpiryInterval = TimeSpan.FromSeconds(5) }, Ct);
        firstStore.Dispose();
        _harness.Time.Advance(TimeSpan.FromSeconds(10));

        var restarted = _harness.Create();
        await restarted.ConnectAsync(Ct);

        await Eventually.TrueAsync(() => restarted.DroppedCount == 1 && !_harness.Broker.Published.IsEmpty, "the live message is sent and the expired one dropped");
        var published = _harness.Broker.Published.Should().ContainSingle().Subject;
        published.Text.Should().Be("kept", "the payload as the broker received it (the packet's own buffer goes back to the pool)");
        var packet = published.Packet!;
        packet.UserProperties.Select(p => p.Name).Should().Equal("site", "site");
        packet.ContentType.Should().Be("text/plain; charset=utf-8");
        packet.PayloadFormatIndicator.Should().Be(MqttPayloadFormatIndicator.CharacterData);
        packet.MessageExpiryInterval.Should().Be(20, "30 s less the 10 s spent in the store");
        packet.ResponseTopic.Should().Be("replies/case1");
        packet.CorrelationData.Should().Equal(7, 8, 9);
    }
}
