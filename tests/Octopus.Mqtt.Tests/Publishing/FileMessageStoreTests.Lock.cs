using System.Diagnostics;

namespace Octopus.Mqtt.Tests.Publishing;

/// <summary>The store's lock: one store per directory, in this process or any other.</summary>
public sealed partial class FileMessageStoreTests
{
    private string LockPath => Path.Combine(StoreDirectory, FileMessageStore.LockFileName);

    private string InUseMessage =>
        $"client.store: the File store directory \"{StoreDirectory}\" is in use by another client (its lock file \"{LockPath}\" is held); two clients must not share one DeviceLink UID and client.store.directoryPrefix.";

    [Fact]
    public void Constructor_SecondStoreOnTheSameDirectory_IsRefusedNamingTheDirectory()
    {
        using var first = Open();
        first.Save(Message(1, "one"));

        FluentActions.Invoking(Open).Should().Throw<MqttDeviceClientException>().WithMessage(InUseMessage);

        first.Load().Should().ContainSingle("the refused store touched nothing");
        FluentActions.Invoking(Open).Should().Throw<MqttDeviceClientException>("the first store still holds the lock");
    }

    [Fact]
    public void Dispose_ReleasesTheLock_TheNextStoreOpensAndFindsTheEntries()
    {
        var first = Open();
        first.Save(Message(1, "one"));

        first.Dispose();

        using var next = Open();
        next.Load().Select(m => m.Sequence).Should().Equal(1);
    }

    [Fact]
    public async Task Constructor_LockHeldByAnotherProcess_IsRefused()
    {
        Assert.SkipUnless(File.Exists(FlockTool), "needs util-linux flock(1)");
        Open().Dispose();
        using var holder = Process.Start(Flock("--nonblock", LockPath, "--command", "echo held; read line"))!;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        (await holder.StandardOutput.ReadLineAsync(deadline.Token)).Should().Be("held");

        FluentActions.Invoking(Open).Should().Throw<MqttDeviceClientException>().WithMessage(InUseMessage);

        holder.StandardInput.Close();
        await holder.WaitForExitAsync(deadline.Token);
        using var afterwards = Open();
    }

    [Fact]
    public async Task Constructor_WhileTheStoreIsOpen_AnotherProcessCannotTakeTheLock()
    {
        Assert.SkipUnless(File.Exists(FlockTool), "needs util-linux flock(1)");
        var store = Open();

        // Even a shared lock is refused: the store's lock is exclusive.
        (await RunFlockAsync("--shared", "--nonblock", LockPath, "true")).Should().Be(1, "flock -n fails while the store holds the lock");

        store.Dispose();
        (await RunFlockAsync("--shared", "--nonblock", LockPath, "true")).Should().Be(0, "Dispose released it");
    }

    private const string FlockTool = "/usr/bin/flock";

    private static ProcessStartInfo Flock(params string[] arguments)
    {
        var start = new ProcessStartInfo(FlockTool)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private static async Task<int> RunFlockAsync(params string[] arguments)
    {
        using var process = Process.Start(Flock(arguments))!;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(deadline.Token);
        return process.ExitCode;
    }
}
