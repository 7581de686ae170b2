using System.Text;

namespace Octopus.Mqtt.Tests.References;

public sealed class DirectoryReferenceResolverTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task ResolveAsync_KubernetesSecretVolume_ReadsTheItemThroughDataSymlink()
    {
        SkipWithoutSymlinks();
        _ = new KubernetesVolume(Path.Combine(_root.Path, "mqtt-secret"), new Dictionary<string, string> { ["username"] = "admin", ["password"] = "s3cret" });

        var resolver = new DirectoryReferenceResolver(_root.Path);

        Text(await resolver.ResolveAsync("mqtt-secret", "username", None)).Should().Be("admin");
        Text(await resolver.ResolveAsync("mqtt-secret", "password", None)).Should().Be("s3cret");
        new FileInfo(Path.Combine(_root.Path, "mqtt-secret", "password")).LinkTarget.Should().Be("..data/password");
    }

    [Fact]
    public async Task ResolveAsync_DataSymlinkSwapped_ReadsTheRotatedValueFresh()
    {
        SkipWithoutSymlinks();
        var volume = new KubernetesVolume(Path.Combine(_root.Path, "mqtt-secret"), new Dictionary<string, string> { ["password"] = "old", ["retired"] = "x" });
        var resolver = new DirectoryReferenceResolver(_root.Path);
        Text(await resolver.ResolveAsync("mqtt-secret", "password", None)).Should().Be("old");

        volume.Update(new Dictionary<string, string> { ["password"] = "rotated", ["added"] = "new item" });

        Text(await resolver.ResolveAsync("mqtt-secret", "password", None)).Should().Be("rotated");
        Text(await resolver.ResolveAsync("mqtt-secret", "added", None)).Should().Be("new item");
        (await resolver.ResolveAsync("mqtt-secret", "retired", None)).Should().BeNull();
        Directory.GetDirectories(Path.Combine(_root.Path, "mqtt-secret")).Select(Path.GetFileName)
            .Should().BeEquivalentTo("..data", "..2026_01_02_03_04_05.000000002");
    }

    [Fact]
    public async Task ResolveAsync_WhileDataSymlinkIsSwappedRepeatedly_ReadsOnlyWholeVersions()
    {
        SkipWithoutSymlinks();
        var volume = new KubernetesVolume(Path.Combine(_root.Path, "mqtt-secret"), Version(0));
        var resolver = new DirectoryReferenceResolver(_root.Path);
        using var stop = new CancellationTokenSource();
        var seen = new HashSet<string>();
        var reads = 0;

        var reader = Task.Run(
            async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    seen.Add(Text(await resolver.ResolveAsync("mqtt-secret", "password", None)) ?? "(not found)");
                    Interlocked.Increment(ref reads);
                }
            },
            TestContext.Current.CancellationToken);
        for (var version = 1; version <= 100; version++)
        {
            // Keep the reader going between swaps: wait (with a deadline) until it has read again.
            var before = Volatile.Read(ref reads);
            SpinWait.SpinUntil(() => Volatile.Read(ref reads) > before || reader.IsCompleted, TimeSpan.FromSeconds(30)).Should().BeTrue();
            volume.Update(Version(version));
        }

        await stop.CancelAsync();
        await reader.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        seen.Should().HaveCountGreaterThan(1).And.BeSubsetOf(Enumerable.Range(0, 101).Select(version => Version(version)["password"]));
        Text(await resolver.ResolveAsync("mqtt-secret", "password", None)).Should().Be(Version(100)["password"]);

        static Dictionary<string, string> Version(int version) =>
            new() { ["password"] = $"password-version-{version:D3}-" + new string('x', 4096) };
    }

    [Fact]
    public async Task ResolveAsync_PlainFiles_AreReadToo()
    {
        File.WriteAllBytes(TestFile("mqtt-ca", "ca.crt"), [0x2D, 0x2D, 0x0A]);

        (await new DirectoryReferenceResolver(_root.Path).ResolveAsync("mqtt-ca", "ca.crt", None)).Should().Equal(0x2D, 0x2D, 0x0A);
    }

    [Fact]
    public async Task ResolveAsync_ValueWithTrailingNewline_IsReturnedExactly()
    {
        File.WriteAllText(TestFile("mqtt-secret", "password"), "s3cret\n");

        Text(await new DirectoryReferenceResolver(_root.Path).ResolveAsync("mqtt-secret", "password", None)).Should().Be("s3cret\n");
    }

    [Theory]
    [InlineData("missing", "password")]
    [InlineData("mqtt-secret", "missing")]
    [InlineData("mqtt-secret", "empty")]
    [InlineData("mqtt-secret", "folder")]
    [InlineData("a-file", "password")]
    public async Task ResolveAsync_MissingEmptyOrNotAFile_ReturnsNull(string name, string item)
    {
        File.WriteAllText(TestFile("mqtt-secret", "password"), "s3cret");
        File.WriteAllText(TestFile("mqtt-secret", "empty"), string.Empty);
        Directory.CreateDirectory(Path.Combine(_root.Path, "mqtt-secret", "folder"));
        File.WriteAllText(Path.Combine(_root.Path, "a-file"), "not a directory");

        (await new DirectoryReferenceResolver(_root.Path).ResolveAsync(name, item, None)).Should().BeNull();
    }

    [Fact]
    public async Task ResolveAsync_DanglingItemSymlink_ReturnsNull()
    {
        SkipWithoutSymlinks();
        Directory.CreateDirectory(Path.Combine(_root.Path, "mqtt-secret"));
        File.CreateSymbolicLink(Path.Combine(_root.Path, "mqtt-secret", "password"), "..data/password");

        (await new DirectoryReferenceResolver(_root.Path).ResolveAsync("mqtt-secret", "password", None)).Should().BeNull();
    }

    [Fact]
    public async Task ResolveAsync_RootMissing_FailsAsAStore()
    {
        var root = Path.Combine(_root.Path, "not-mounted");

        await FluentActions.Awaiting(async () => await new DirectoryReferenceResolver(root).ResolveAsync("mqtt-secret", "password", None))
            .Should().ThrowAsync<DirectoryNotFoundException>().WithMessage($"The reference directory \"{root}\" does not exist.");
    }

    [Fact]
    public async Task ResolveAsync_SymlinkLoop_FailsAsAStore()
    {
        SkipWithoutSymlinks();
        Directory.CreateDirectory(Path.Combine(_root.Path, "mqtt-secret"));
        File.CreateSymbolicLink(Path.Combine(_root.Path, "mqtt-secret", "password"), "password");

        await FluentActions.Awaiting(async () => await new DirectoryReferenceResolver(_root.Path).ResolveAsync("mqtt-secret", "password", None))
            .Should().ThrowAsync<IOException>();
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("..data")]
    [InlineData("..2026_01_02_03_04_05.000000001")]
    [InlineData("../etc")]
    [InlineData("a/b")]
    [InlineData("/etc")]
    [InlineData("a\\b")]
    [InlineData("a\0b")]
    public async Task ResolveAsync_NameThatCouldLeaveTheReference_IsRefused(string name)
    {
        var resolver = new DirectoryReferenceResolver(_root.Path);

        await FluentActions.Awaiting(async () => await resolver.ResolveAsync(name, "password", None))
            .Should().ThrowAsync<ArgumentException>()
            .Where(e => e.Message == $"The reference name \"{name}\" cannot be read from a reference directory: it must not be empty or \".\", start with \"..\", or contain '/', '\\' or NUL. (Parameter 'name')");
        await FluentActions.Awaiting(async () => await resolver.ResolveAsync("mqtt-secret", name, None))
            .Should().ThrowAsync<ArgumentException>()
            .Where(e => e.Message == $"The item \"{name}\" cannot be read from a reference directory: it must not be empty or \".\", start with \"..\", or contain '/', '\\' or NUL. (Parameter 'item')");
    }

    [Fact]
    public async Task ResolveAsync_ItemNamedDataOfAVolume_IsRefusedNotRead()
    {
        SkipWithoutSymlinks();
        _ = new KubernetesVolume(Path.Combine(_root.Path, "mqtt-secret"), new Dictionary<string, string> { ["password"] = "s3cret" });

        await FluentActions.Awaiting(async () => await new DirectoryReferenceResolver(_root.Path).ResolveAsync("mqtt-secret", "..data", None))
            .Should().ThrowAsync<ArgumentException>();
    }

    [Fact]
    public async Task ResolveAsync_CanceledToken_Throws()
    {
        File.WriteAllText(TestFile("mqtt-secret", "password"), "s3cret");

        await FluentActions.Awaiting(async () => await new DirectoryReferenceResolver(_root.Path).ResolveAsync("mqtt-secret", "password", new CancellationToken(canceled: true)))
            .Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public void RootPath_Relative_IsMadeAbsolute() =>
        new DirectoryReferenceResolver("refs").RootPath.Should().Be(Path.GetFullPath("refs"));

    private static string? Text(byte[]? value) => value is null ? null : Encoding.UTF8.GetString(value);

    private static void SkipWithoutSymlinks() =>
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Kubernetes volume layouts use symlinks, which need extra rights on Windows.");

    private string TestFile(string name, string item)
    {
        Directory.CreateDirectory(Path.Combine(_root.Path, name));
        return Path.Combine(_root.Path, name, item);
    }
}
