using System.Runtime.Versioning;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Octopus.Mqtt.Tests.Publishing;

public sealed partial class FileMessageStoreTests : IDisposable
{
    private const string Uid = "9e8efcb0-4b79-45e7-a4c4-3349562292e3";
    private readonly TemporaryDirectory _prefix = new();
    private readonly FakeLogger _logger = new();

    public void Dispose() => _prefix.Dispose();

    private string StoreDirectory => Path.Combine(_prefix.Path, Uid);

    private FileMessageStore Open() => new(_prefix.Path, Uid, _logger);

    private static OutboundMessage Message(long sequence, string payload, MqttQos qos = MqttQos.AtLeastOnce, bool retain = true) =>
        new(sequence, "devices/" + sequence, PayloadBuffer.Copy(Encoding.UTF8.GetBytes(payload)), qos, retain);

    /// <summary>The names of the files in a directory, in ordinal order (".lock" first).</summary>
    private static string[] Names(string directory) =>
        [.. Directory.GetFiles(directory).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Fact]
    public void Load_AfterRestart_GivesBackTheSavedMessagesInOrder()
    {
        var store = Open();
        store.Save(Message(12, "twelve"));
        store.Save(Message(3, "three", MqttQos.ExactlyOnce, retain: false));
        store.Save(Message(7, "seven"));
        store.Delete(7);
        store.Dispose();

        using var restarted = Open();
        var loaded = restarted.Load();

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
        using var store = Open();

        store.Save(Message(1, "one"));

        Names(store.DirectoryPath).Should().Equal(FileMessageStore.LockFileName, "0000000000000000001.msg");
    }

    [Fact]
    public void Load_InterruptedWrite_IsRemovedAndNotSent()
    {
        var store = Open();
        store.Save(Message(1, "one"));
        File.WriteAllBytes(store.GetPath(2) + FileMessageStore.TemporaryExtension, [1, 2, 3]);
        store.Dispose();

        using var restarted = Open();
        var loaded = restarted.Load();

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
        store.Dispose();

        using var restarted = Open();
        var loaded = restarted.Load();

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
        using var store = Open();
        var path = Path.Combine(store.DirectoryPath, "garbage.msg");
        File.WriteAllText(path, "x");

        store.Load().Should().BeEmpty();

        File.Exists(path + FileMessageStore.CorruptExtension).Should().BeTrue();
        _logger.LatestRecord.Message.Should().Contain("(its name is not a sequence number)");
    }

    [Fact]
    public void Load_AfterRestart_GivesBackThePacketIdAndPhase()
    {
        var store = Open();
        var published = Message(1, "one");
        published.PacketId = 17;
        published.Phase = OutboundPhase.Published;
        var released = Message(2, "two", MqttQos.ExactlyOnce);
        released.PacketId = 65535;
        released.Phase = OutboundPhase.Released;
        store.Save(published);
        store.Save(released);
        store.Save(Message(3, "three"));
        store.Dispose();

        using var restarted = Open();
        var loaded = restarted.Load();

        loaded.Select(m => (m.Sequence, m.PacketId, m.Phase)).Should().Equal(
            (1L, (ushort)17, OutboundPhase.Published),
            (2L, (ushort)65535, OutboundPhase.Released),
            (3L, (ushort)0, OutboundPhase.Unsent));
    }

    [Fact]
    public void Save_AgainAfterAPhaseChange_ReplacesTheEntry()
    {
        using var store = Open();
        var message = Message(4, "four", MqttQos.ExactlyOnce);
        store.Save(message);

        message.PacketId = 9;
        message.Phase = OutboundPhase.Published;
        store.Save(message);
        store.Load().Should().ContainSingle().Which.Phase.Should().Be(OutboundPhase.Published);

        message.Phase = OutboundPhase.Released;
        store.Save(message);

        Names(store.DirectoryPath).Should().Equal(FileMessageStore.LockFileName, "0000000000000000004.msg");
        var entry = store.Load().Should().ContainSingle().Subject;
        (entry.PacketId, entry.Phase).Should().Be(((ushort)9, OutboundPhase.Released));
        Encoding.UTF8.GetString(entry.Payload).Should().Be("four");
    }

    [Fact]
    public void Load_Version1Entry_IsReadAsUnsentWithoutAPacketId()
    {
        using var store = Open();
        byte[] version1 =
        [
            0x4F, 0x4D, 0x51, 0x53, 0x01, 0x02, 0x01, 0x00, 0x03, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00,
            0x61, 0x2F, 0x62, 0x01, 0x02, 0x03, 0x09, 0xC5, 0x3D, 0x07, 0xCF, 0x4F, 0x77, 0xCC,
        ];
        File.WriteAllBytes(store.GetPath(8), version1);

        var entry = store.Load().Should().ContainSingle().Subject;

        (entry.Sequence, entry.Topic, entry.Qos, entry.PacketId, entry.Phase).Should().Be((8L, "a/b", MqttQos.ExactlyOnce, (ushort)0, OutboundPhase.Unsent));
    }

    [Fact]
    public void Load_LockFile_IsIgnored()
    {
        using var store = Open();

        store.Load().Should().BeEmpty();

        Names(store.DirectoryPath).Should().Equal(FileMessageStore.LockFileName);
        _logger.Collector.Count.Should().Be(0);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void Constructor_Directory_IsPrivateToTheUser()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix permissions only");
        using var store = Open();

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

        using var store = Open();

        File.GetUnixFileMode(directory).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void Save_File_IsReadableByTheUserOnly()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix permissions only");
        using var store = Open();

        store.Save(Message(1, "one"));

        File.GetUnixFileMode(store.GetPath(1)).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.GetUnixFileMode(Path.Combine(store.DirectoryPath, FileMessageStore.LockFileName)).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
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
