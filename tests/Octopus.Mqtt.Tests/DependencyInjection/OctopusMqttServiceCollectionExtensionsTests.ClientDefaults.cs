using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Octopus.Mqtt.Tests.Lifecycle;

namespace Octopus.Mqtt.Tests.DependencyInjection;

/// <summary>The client behaviour defaults of a hosted adaptor: retry in the background, retained <c>online</c> on the will topic.</summary>
public sealed partial class OctopusMqttServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddOctopusMqtt_ClientOptions_RetryInBackgroundAndOnlineByDefault()
    {
        var services = new ServiceCollection();

        services.AddOctopusMqtt();

        await using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<MqttDeviceClientOptions>>().Value;
        options.FirstConnectPolicy.Should().Be(MqttFirstConnectPolicy.RetryInBackground);
        options.OnlinePayload.Should().Equal("online"u8.ToArray());
        new MqttDeviceClientOptions().FirstConnectPolicy.Should().Be(MqttFirstConnectPolicy.FailFast, "a factory made with new keeps Octopus' fail-fast");
    }

    [Fact]
    public async Task AddOctopusMqtt_ClientOptionsConfiguredBeforeAndAfter_WinOverTheDefaults()
    {
        var services = new ServiceCollection();
        services.Configure<MqttDeviceClientOptions>(o => o.FirstConnectPolicy = MqttFirstConnectPolicy.FailFast);

        services.AddOctopusMqtt().ConfigureClient(o => o.OnlinePayload = null);

        await using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<MqttDeviceClientOptions>>().Value;
        options.FirstConnectPolicy.Should().Be(MqttFirstConnectPolicy.FailFast);
        options.OnlinePayload.Should().BeNull();
    }

    [Fact]
    public async Task ConfigureAsync_BrokerDownAtStart_ReturnsTheClientRetryingInTheBackground()
    {
        var services = new ServiceCollection();
        services.AddOctopusMqtt();
        await using var provider = services.BuildServiceProvider();
        var links = provider.GetRequiredService<IMqttDeviceLinks>();

        var client = await links.ConfigureAsync(Fan, LifecycleOptions.Create($"tcp://127.0.0.1:{ClosedPort()}"), cancellationToken: Token);

        client.Should().NotBeNull();
        client!.State.Should().NotBe(MqttConnectionState.Connected);
        links.GetClient(Fan).Should().BeSameAs(client);
    }

    [Fact]
    public async Task ConfigureAsync_WillConfigured_PublishesOnlineRetainedToTheWillTopic()
    {
        var services = new ServiceCollection();
        services.AddFakeOctopusMqtt();
        services.AddOctopusMqtt();
        await using var provider = services.BuildServiceProvider();
        var options = LifecycleOptions.Create();
        options.Message.Will = new MqttWillSettings { Content = "offline"u8.ToArray() };

        await provider.GetRequiredService<IMqttDeviceLinks>().ConfigureAsync(Fan, options, cancellationToken: Token);

        var retained = provider.GetFakeMqttBroker().GetRetainedMessage("cattle.io/octopus/default/fan/$will");
        retained.Should().NotBeNull();
        retained!.PayloadText.Should().Be("online");
    }

    [Fact]
    public async Task Factory_OperatorReadWithoutOperatorLevel_LogsTheWarning()
    {
        var services = new ServiceCollection();
        services.AddFakeLogging();
        services.AddOctopusMqtt();
        await using var provider = services.BuildServiceProvider();
        var options = LifecycleOptions.Create();
        options.Message.Operator = new MqttTopicOperator { Read = "status" };

        await using var client = provider.GetRequiredService<IMqttDeviceClientFactory>().Create(Fan, options);

        provider.GetFakeLogCollector().GetSnapshot().Should().ContainSingle(r => r.Id.Id == 1301)
            .Which.Message.Should().EndWith("message.operator.read: \"status\" is not used: message.topic \"cattle.io/octopus/:namespace/:name\" has no :operator level, so the subscribe topic is the publish topic (the device receives its own status); add :operator to the topic or remove operator.read");
    }
}
