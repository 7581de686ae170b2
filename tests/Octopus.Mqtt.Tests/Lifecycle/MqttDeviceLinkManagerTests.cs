using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using static Octopus.Mqtt.Tests.Lifecycle.LifecycleOptions;

namespace Octopus.Mqtt.Tests.Lifecycle;

public sealed class MqttDeviceLinkManagerTests
{
    private readonly StubClientFactory _factory = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));
    private readonly FakeLogCollector _logs = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConfigureAsync_FirstTime_CreatesAndConnectsTheClient()
    {
        await using var links = CreateLinks();

        var client = await links.ConfigureAsync(Fan, Create(), null, Token);

        var stub = _factory.Created.Should().ContainSingle().Subject;
        client.Should().BeSameAs(stub);
        stub.ConnectCalls.Should().Be(1);
        stub.State.Should().Be(MqttConnectionState.Connected);
        links.GetClient(Fan).Should().BeSameAs(stub);
        _logs.GetSnapshot().Select(r => r.Message).Should().Contain("Created the MQTT client octopus-9e8efcb04b7945e7a4c43349562292e3 of default/fan.");
    }

    [Fact]
    public async Task ConfigureAsync_EqualOptionsInAnotherInstance_KeepsTheClient()
    {
        await using var links = CreateLinks();
        var first = await links.ConfigureAsync(Fan, Create(), null, Token);

        var second = await links.ConfigureAsync(Fan, Create(), null, Token);

        second.Should().BeSameAs(first);
        _factory.Created.Should().ContainSingle().Which.ConnectCalls.Should().Be(1);
        _logs.GetSnapshot().Select(r => r.Message).Should().Contain(
            "The MQTT options of default/fan and the references they use did not change; the connection is kept.");
    }

    [Fact]
    public async Task ConfigureAsync_OptionsChangedAfterTheCall_ComparesWithWhatWasApplied()
    {
        await using var links = CreateLinks();
        var options = Create();
        var first = await links.ConfigureAsync(Fan, options, null, Token);
        options.Client.KeepAlive = GoDuration.FromSeconds(5);

        var second = await links.ConfigureAsync(Fan, options, null, Token);

        second.Should().NotBeSameAs(first);
        ((StubDeviceClient)first!).Options.Client.KeepAlive.Should().Be(GoDuration.FromSeconds(30), "the client got a copy");
    }

    [Fact]
    public async Task ConfigureAsync_ChangedOption_DisposesTheOldClientAndConnectsANewOne()
    {
        await using var links = CreateLinks();
        var first = (StubDeviceClient)(await links.ConfigureAsync(Fan, Create("tcp://old:1883"), null, Token))!;

        var second = (StubDeviceClient)(await links.ConfigureAsync(Fan, Create("tcp://new:1883"), null, Token))!;

        first.Disposed.Should().BeTrue();
        second.Should().NotBeSameAs(first);
        second.Options.Client.Server.Should().Be("tcp://new:1883");
        second.ConnectCalls.Should().Be(1);
        links.GetClient(Fan).Should().BeSameAs(second);
        _logs.GetSnapshot().Select(r => r.Message).Should().Contain(
            "The MQTT options of default/fan changed; replacing the connection (0 unsent message(s) carried over).");
    }

    [Fact]
    public async Task ConfigureAsync_ReferencedPasswordRotated_ReplacesTheClient()
    {
        await using var links = CreateLinks();
        var references = new InMemoryReferenceResolver();
        references.Add("mqtt-secret", "password", "first");
        var first = await links.ConfigureAsync(Fan, WithPasswordRef(), references, Token);
        references.Add("mqtt-secret", "password", "second");

        var second = await links.ConfigureAsync(Fan, WithPasswordRef(), references, Token);

        second.Should().NotBeSameAs(first);
        _logs.GetSnapshot().Select(r => r.Message).Should().Contain(
            "The MQTT references of default/fan changed; replacing the connection (0 unsent message(s) carried over).");
    }

    [Fact]
    public async Task ConfigureAsync_NewResolverWithTheSameValues_KeepsTheClientAndReadsTheNewResolver()
    {
        await using var links = CreateLinks();
        var before = new InMemoryReferenceResolver();
        before.Add("mqtt-secret", "password", "same");
        var after = new InMemoryReferenceResolver();
        after.Add("mqtt-secret", "password", "same");
        after.Add("mqtt-secret", "extra", "only in the new one");
        var first = (StubDeviceClient)(await links.ConfigureAsync(Fan, WithPasswordRef(), before, Token))!;

        var second = await links.ConfigureAsync(Fan, WithPasswordRef(), after, Token);

        second.Should().BeSameAs(first);
        (await first.References!.ResolveAsync("mqtt-secret", "extra", Token)).Should().Equal("only in the new one"u8.ToArray());
    }

    [Fact]
    public async Task ConfigureAsync_ReferenceShadowedByALiteral_IgnoresItsChanges()
    {
        await using var links = CreateLinks();
        var references = new InMemoryReferenceResolver();
        references.Add("mqtt-secret", "password", "first");
        var options = WithPasswordRef();
        options.Client.BasicAuth!.Password = "literal";
        var first = await links.ConfigureAsync(Fan, options, references, Token);
        references.Add("mqtt-secret", "password", "second");

        var second = await links.ConfigureAsync(Fan, options, references, Token);

        second.Should().BeSameAs(first);
    }

    [Fact]
    public async Task ConfigureAsync_NullOptions_DisposesTheClientAndReturnsNull()
    {
        await using var links = CreateLinks();
        var first = (StubDeviceClient)(await links.ConfigureAsync(Fan, Create(), null, Token))!;

        var second = await links.ConfigureAsync(Fan, null, null, Token);

        second.Should().BeNull();
        first.Disposed.Should().BeTrue();
        links.GetClient(Fan).Should().BeNull();
        links.GetStatus().Should().BeEmpty();
    }

    [Fact]
    public async Task ConfigureAsync_InvalidOptions_ThrowsEveryProblemAndKeepsTheCurrentClient()
    {
        await using var links = CreateLinks();
        var first = (StubDeviceClient)(await links.ConfigureAsync(Fan, Create(), null, Token))!;
        var bad = Create("ftp://broker");
        bad.Message.Topic = "devices/:name/";

        var configure = () => links.ConfigureAsync(Fan, bad, null, Token);

        (await configure.Should().ThrowAsync<MqttOptionsException>()).Which.Message.Should().Be(
            "The MQTT options have 2 problems:\n"
            + "  client.server: \"ftp://broker\" has the unknown scheme \"ftp\"; expected tcp, ssl, tls, tcps, ws, wss or unix\n"
            + "  message.topic: \"devices/:name/\" ends with \"/\"; allowed: a topic template without a trailing \"/\"");
        first.Disposed.Should().BeFalse();
        links.GetClient(Fan).Should().BeSameAs(first);
    }

    [Fact]
    public async Task ConfigureAsync_DeviceNameInjectsAWildcard_ThrowsAndCreatesNothing()
    {
        await using var links = CreateLinks();

        var configure = () => links.ConfigureAsync(Fan with { Name = "#" }, Create(), null, Token);

        await configure.Should().ThrowAsync<MqttTopicException>();
        _factory.Created.Should().BeEmpty();
    }

    [Fact]
    public async Task ConfigureAsync_FirstConnectFails_ThrowsKeepsTheClientAndConnectsAgainNextTime()
    {
        await using var links = CreateLinks();
        _factory.OnCreate = c => c.ConnectFailure = new MqttDeviceClientException("broker down");

        var configure = () => links.ConfigureAsync(Fan, Create(), null, Token);

        await configure.Should().ThrowAsync<MqttDeviceClientException>().WithMessage("broker down");
        var stub = _factory.Created.Should().ContainSingle().Subject;
        links.GetClient(Fan).Should().BeSameAs(stub);
        stub.ConnectFailure = null;

        var client = await links.ConfigureAsync(Fan, Create(), null, Token);

        client.Should().BeSameAs(stub);
        stub.ConnectCalls.Should().Be(2);
        stub.State.Should().Be(MqttConnectionState.Connected);
    }

    [Fact]
    public async Task RemoveAsync_KnownDevice_DisposesItsClient()
    {
        await using var links = CreateLinks();
        var first = (StubDeviceClient)(await links.ConfigureAsync(Fan, Create(), null, Token))!;

        var removed = await links.RemoveAsync(Fan, Token);

        removed.Should().BeTrue();
        first.Disposed.Should().BeTrue();
        links.GetClient(Fan).Should().BeNull();
        (await links.RemoveAsync(Fan, Token)).Should().BeFalse();
    }

    [Fact]
    public async Task ConfigureAsync_ManyCallsForOneDeviceAtOnce_CreatesOneClient()
    {
        await using var links = CreateLinks();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _factory.OnCreate = c => c.ConnectGate = gate.Task;

        var calls = Enumerable.Range(0, 8).Select(_ => links.ConfigureAsync(Fan, Create(), null, Token)).ToList();
        gate.SetResult();
        var clients = await Task.WhenAll(calls);

        _factory.Created.Should().ContainSingle();
        clients.Distinct().Should().ContainSingle();
    }

    [Fact]
    public async Task ConfigureAsync_AnotherDeviceStillConnecting_DoesNotWaitForIt()
    {
        await using var links = CreateLinks();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _factory.OnCreate = c => c.ConnectGate = c.Device == Fan ? gate.Task : null;
        var fan = links.ConfigureAsync(Fan, Create(), null, Token);

        var lamp = await links.ConfigureAsync(Lamp, Create(), null, Token).WaitAsync(TimeSpan.FromSeconds(10), Token);

        lamp!.State.Should().Be(MqttConnectionState.Connected);
        fan.IsCompleted.Should().BeFalse();
        gate.SetResult();
        (await fan)!.State.Should().Be(MqttConnectionState.Connected);
    }

    [Fact]
    public async Task DisposeAsync_DisposesEveryClientAndRefusesNewConfigurations()
    {
        var links = CreateLinks();
        await links.ConfigureAsync(Fan, Create(), null, Token);
        await links.ConfigureAsync(Lamp, Create(), null, Token);

        await links.DisposeAsync();

        _factory.Created.Should().HaveCount(2).And.OnlyContain(c => c.Disposed);
        var configure = () => links.ConfigureAsync(Fan, Create(), null, Token);
        await configure.Should().ThrowAsync<ObjectDisposedException>();
    }

    [Fact]
    public async Task GetStatus_ClientLosesItsConnection_SaysSinceWhen()
    {
        await using var links = CreateLinks();
        var fan = (StubDeviceClient)(await links.ConfigureAsync(Fan, Create(), null, Token))!;
        await links.ConfigureAsync(Lamp, Create(), null, Token);
        _time.Advance(TimeSpan.FromMinutes(1));
        var lost = _time.GetUtcNow();

        fan.SetState(MqttConnectionState.Reconnecting);
        _time.Advance(TimeSpan.FromSeconds(10));
        fan.SetState(MqttConnectionState.Connecting);

        var statuses = links.GetStatus().OrderBy(s => s.Device.Name).ToList();
        statuses.Select(s => s.ToString()).Should().Equal("default/fan: Connecting", "default/lamp: Connected");
        statuses[0].DisconnectedSince.Should().Be(lost);
        statuses[1].DisconnectedSince.Should().BeNull();
    }

    [Fact]
    public void Constructor_NullFactory_Throws()
    {
        var create = () => new MqttDeviceLinkManager(null!);

        create.Should().Throw<ArgumentNullException>().WithParameterName("factory");
    }

    private MqttDeviceLinkManager CreateLinks() =>
        new(_factory, new FakeLoggerProviderFactory(_logs), _time);
}
