using Octopus.Mqtt.Tests.Connection;

namespace Octopus.Mqtt.Tests.Publishing;

public sealed partial class MqttDeviceClientTests
{
    private readonly TemporaryDirectory _storeDirectory = new();

    private string StoreDirectory => Path.Combine(_storeDirectory.Path, _harness.Device.Uid);

    /// <summary>The store's entries (without its lock file).</summary>
    private string[] StoredFiles() => Directory.Exists(StoreDirectory)
        ? Directory.GetFiles(StoreDirectory).Select(f => Path.GetFileName(f)!).Where(f => f != FileMessageStore.LockFileName).Order(StringComparer.Ordinal).ToArray()
        : [];

    private void UseFileStore() => _harness.Client.Store = new MqttStoreSettings { Type = MqttStoreType.File, DirectoryPrefix = _storeDirectory.Path };

    [Fact]
    public async Task FileStore_ProcessKilledWithUnsentMessages_NextClientWithTheSameUidSendsThemFirst()
    {
        UseFileStore();

        // The killed process's store, so that the test can do what the kernel does at a kill: close its lock file.
        var killedStore = new FileMessageStore(_storeDirectory.Path, _harness.Device.Uid, _harness.Logger);
        _harness.Store = killedStore;
        var killed = _harness.Create();
        foreach (var (text, qos) in new[] { ("a", MqttQos.AtLeastOnce), ("zero", MqttQos.AtMostOnce), ("b", MqttQos.ExactlyOnce), ("c", MqttQos.AtLeastOnce) })
        {
            await killed.PublishAsync(Bytes(text), new MqttPublishOptions { Qos = qos }, Ct);
        }

        StoredFiles().Should().Equal("0000000000000000001.msg", "0000000000000000003.msg", "0000000000000000004.msg");

        killedStore.Dispose();
        _harness.Store = null;
        var restarted = _harness.Create();
        restarted.QueuedCount.Should().Be(3);
        await restarted.PublishAsync(Bytes("new"), null, Ct);
        await restarted.ConnectAsync(Ct);

        await Eventually.TrueAsync(() => _harness.Broker.Published.Count == 4, "the recovered messages and the new one are sent");
        PublishedTexts().Should().Equal("a", "b", "c", "new");
        _harness.Broker.Published.Select(m => (int)m.Qos).Should().Equal(1, 2, 1, 1);
        await Eventually.TrueAsync(() => StoredFiles().Length == 0, "acknowledged messages are removed from the store");
        _harness.Logger.Collector.GetSnapshot().Should().Contain(r => r.Id.Id == 1203 && r.Message.StartsWith("Recovered 3 unacknowledged message(s)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FileStore_DisposedWithUnsentMessages_KeepsThemAndSaysQueued()
    {
        UseFileStore();
        _harness.Client.WaitTimeout = GoDuration.FromMinutes(1);
        var client = _harness.Create();
        var call = client.PublishAsync(Bytes("kept"), null, Ct).AsTask();

        await client.DisposeAsync();

        (await call).Should().BeSameAs(MqttPublishResult.Queued);
        client.DroppedCount.Should().Be(0);
        StoredFiles().Should().ContainSingle();
    }

    [Fact]
    public async Task FileStore_DroppedMessage_IsRemovedFromTheStore()
    {
        UseFileStore();
        _harness.Client.MessageChannelDepth = 1;
        var client = _harness.Create();

        await client.PublishAsync(Bytes("old"), null, Ct);
        await client.PublishAsync(Bytes("new"), null, Ct);

        StoredFiles().Should().Equal("0000000000000000002.msg");
    }

    [Fact]
    public async Task FileStore_AcknowledgedMessage_IsRemovedFromTheStore()
    {
        UseFileStore();
        var client = await _harness.ConnectedAsync();

        (await client.PublishAsync(Bytes("x"), null, Ct)).Should().BeSameAs(MqttPublishResult.Delivered);

        StoredFiles().Should().BeEmpty();
    }

    [Fact]
    public void FileStore_UnsafeUid_IsRefusedWhenTheClientIsCreated()
    {
        UseFileStore();
        var harness = new EngineHarness();
        harness.Client.Store = _harness.Client.Store;

        FluentActions.Invoking(() => new MqttDeviceClient(new MqttDeviceClientSetup
        {
            Device = new DeviceIdentity("default", "case1", "../escape"),
            ClientId = "x",
            Client = harness.Client,
            Message = harness.Message,
            Topics = harness.Topics,
            OptionsFactory = (_, _, _) => throw new InvalidOperationException(),
        })).Should().Throw<ArgumentException>()
            .WithMessage("client.store: the DeviceLink UID \"../escape\" cannot name the File store's directory: *");
        Directory.GetFileSystemEntries(_storeDirectory.Path).Should().BeEmpty();
    }
}
