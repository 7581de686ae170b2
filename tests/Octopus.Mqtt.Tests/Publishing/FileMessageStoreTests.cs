using System.Runtime.Versioning;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Octopus.Mqtt.Tests.Publishing;

public sealed class FileMessageStoreTests : IDisposable
{
    private const string Uid = "9e8efcb0-4b79-45e7-a4c4-3349562292e3";
    private readonly TemporaryDirectory _prefix = new();
    private readonly FakeLogger _logger = new();

    public void Dispose() => _prefix.Dispose();

    private FileMessageStore Open() => new(_prefix.Path, Uid, _logger);

    private static OutboundMessage Message(long sequence, string payload, MqttQos qos = MqttQos.AtLeastOnce, bool retain = true) =>
        new(sequence, "devices/" + sequence, PayloadBuffer.Copy(Encoding.UTF8.GetBytes(payload)), qos, retain);

    [Fact]
    public void Load_AfterRestart_GivesBackTheSavedMessagesInOrder()
    {
        var store = Open();
        store.Save(Message(12, "twelve"));
        store.Save(Message(3, "three", MqttQos.ExactlyOnce, retain: false));
        store.Save(Message(7, "seven"));
        store.Delete(7);
        store.Dispose();

        var loaded = Open().Load();

        loaded.Select(m => m.Sequence).Should().Equal(3, 12);
        loaded[0].Topic.Should().Be("devices/3");
        Encoding.UTF8.GetString(loaded[0].Payload).Should().Be("three");
        loaded[0].Qos.Should().Be(MqttQos.ExactlyOnce);
        loaded[0].Retain.Should().BeFalse();
        Encoding.UTF8.GetString(loaded[1].Payload).Should().Be("twelve");
    }

    [Fact]
    public void Save_WritesWholeFilesOnly_NoTemporaryLeftBehind()
    {
        var store = Open();

        store.Save(Message(1, "one"));

        Directory.GetFiles(store.DirectoryPath).Select(Path.GetFileName).Should().Equal("0000000000000000001.msg");
    }

    [Fact]
    public void Load_InterruptedWrite_IsRemovedAndNotSent()
    {
        var store = Open();
        store.Save(Message(1, "one"));
        File.WriteAllBytes(store.GetPath(2) + FileMessageStore.TemporaryExtension, [1, 2, 3]);

        var loaded = Open().Load();

        loaded.Select(m => m.Sequence).Should().Equal(1);
        File.Exists(store.GetPath(2) + FileMessageStore.TemporaryExtension).Should().BeFalse();
    }

    [Fact]
    public void Load_CorruptEntry_IsSetAsideWithAWarning()
    {
        var store = Open();
        store.Save(Message(1, "one"));
        store.Save(Message(2, "two"));
        var path = store.GetPath(2);
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(path, bytes);

        var loaded = Open().Load();

        loaded.Select(m => m.Sequence).Should().Equal(1);
        File.Exists(path).Should().BeFalse();
        File.Exists(path + FileMessageStore.CorruptExtension).Should().BeTrue();
        var warning = _logger.Collector.GetSnapshot().Should().ContainSingle(r => r.Id.Id == 1200).Subject;
        warning.Level.Should().Be(LogLevel.Warning);
        warning.Message.Should().Be($"The File store entry {path} cannot be read (its checksum does not match); it was set aside as {path}.corrupt and its message will not be sent.");
    }

    [Fact]
    public void Load_FileWithANonNumericName_IsSetAside()
    {
        var store = Open();
        var path = Path.Combine(store.DirectoryPath, "garbage.msg");
        File.WriteAllText(path, "x");

        Open().Load().Should().BeEmpty();

        File.Exists(path + FileMessageStore.CorruptExtension).Should().BeTrue();
        _logger.LatestRecord.Message.Should().Contain("(its name is not a sequence number)");
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void Constructor_Directory_IsPrivateToTheUser()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix permissions only");
        var store = Open();

        File.GetUnixFileMode(store.DirectoryPath).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        store.DirectoryPath.Should().Be(Path.Combine(_prefix.Path, Uid));
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void Constructor_ExistingOpenDirectory_IsMadePrivate()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix permissions only");
        var directory = Path.Combine(_prefix.Path, Uid);
        Directory.CreateDirectory(directory);
        File.SetUnixFileMode(directory, (UnixFileMode)0b111_111_111);

        Open();

        File.GetUnixFileMode(directory).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void Save_File_IsReadableByTheUserOnly()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix permissions only");
        var store = Open();

        store.Save(Message(1, "one"));

        File.GetUnixFileMode(store.GetPath(1)).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Theory]
    [InlineData("../x", "client.store: the DeviceLink UID \"../x\" cannot name the File store's directory: it must be a single path segment (not \".\" or \"..\", and without \"/\", \"\\\" or NUL).")]
    [InlineData("a/b", "client.store: the DeviceLink UID \"a/b\" cannot name the File store's directory: it must be a single path segment (not \".\" or \"..\", and without \"/\", \"\\\" or NUL).")]
    [InlineData("a\\b", "client.store: the DeviceLink UID \"a\\b\" cannot name the File store's directory: it must be a single path segment (not \".\" or \"..\", and without \"/\", \"\\\" or NUL).")]
    [InlineData("..", "client.store: the DeviceLink UID \"..\" cannot name the File store's directory: it must be a single path segment (not \".\" or \"..\", and without \"/\", \"\\\" or NUL).")]
    [InlineData(".", "client.store: the DeviceLink UID \".\" cannot name the File store's directory: it must be a single path segment (not \".\" or \"..\", and without \"/\", \"\\\" or NUL).")]
    [InlineData("", "client.store: the DeviceLink UID is empty; the File store needs it to name its directory.")]
    public void Constructor_UnsafeUid_IsRefused(string uid, string message)
    {
        FluentActions.Invoking(() => new FileMessageStore(_prefix.Path, uid, _logger)).Should().Throw<ArgumentException>().WithMessage(message);

        Directory.GetFileSystemEntries(_prefix.Path).Should().BeEmpty();
    }

    [Fact]
    public void Constructor_EmptyPrefix_IsRefused() =>
        FluentActions.Invoking(() => new FileMessageStore(" ", Uid, _logger)).Should().Throw<ArgumentException>()
            .WithMessage("client.store.directoryPrefix is empty; it must name the directory under which the File store keeps one directory per DeviceLink UID.");
}
