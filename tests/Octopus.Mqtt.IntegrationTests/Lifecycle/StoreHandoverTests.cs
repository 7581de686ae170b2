using Octopus.Mqtt.IntegrationTests.Brokers;
using static Octopus.Mqtt.IntegrationTests.Lifecycle.DeviceLinkOptions;

namespace Octopus.Mqtt.IntegrationTests.Lifecycle;

/// <summary>
/// Replacing a device's client when its store settings change: what the old client accepted, in its File store or in
/// memory, is delivered by the new client, and nothing stays stranded in the old store's directory.
/// </summary>
public sealed class StoreHandoverTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("octopus-handover-").FullName;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("file", "other-file")]
    [InlineData("file", "memory")]
    [InlineData("memory", "file")]
    public async Task ConfigureAsync_StoreChangesWithMessagesQueued_NewClientDeliversEveryOneAndTheOldStoreEndsEmpty(string before, string after)
    {
        await using var oldBroker = await InProcessBroker.StartAsync();
        await using var newBroker = await InProcessBroker.StartAsync();
        await using var links = new MqttDeviceLinkManager(new MqttDeviceClientFactory());
        var first = (await links.ConfigureAsync(Fan, WithStore(Create(oldBroker.Server), before), null, Token))!;
        await oldBroker.StopAsync();
        await Poll.UntilAsync(() => first.State != MqttConnectionState.Connected, "the old broker's loss is noticed");
        for (var i = 1; i <= 5; i++)
        {
            (await first.PublishAsync(i, Token)).Status.Should().Be(MqttPublishStatus.Queued);
        }

        if (before == "file")
        {
            MessageFiles("file").Should().HaveCount(5, "the old client's File store holds what it accepted");
        }

        await links.ConfigureAsync(Fan, WithStore(Create(newBroker.Server), after), null, Token);

        var received = await newBroker.Messages.WaitForCountAsync(5, TestTimeouts.Arrival);
        received.Select(m => m.PayloadText).Should().Equal("1", "2", "3", "4", "5");
        await Poll.UntilAsync(() => MessageFiles("file").Length == 0 && MessageFiles("other-file").Length == 0, "no store keeps a delivered message");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);


    private MqttOptions WithStore(MqttOptions options, string store)
    {
        if (store != "memory")
        {
            options.Client.Store = new MqttStoreSettings { Type = MqttStoreType.File, DirectoryPrefix = Path.Combine(_root, store) };
        }

        return options;
    }

    private string[] MessageFiles(string store)
    {
        var directory = Path.Combine(_root, store, Fan.Uid);
        return Directory.Exists(directory) ? Directory.GetFiles(directory, "*" + FileMessageStore.Extension) : [];
    }
}
