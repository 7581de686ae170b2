using System.Runtime.Versioning;

namespace Octopus.Mqtt.Tests.Publishing;

/// <summary>Durability: the directory is synced after every change of its entries, and a failed write surfaces and leaves nothing behind.</summary>
public sealed partial class FileMessageStoreTests
{
    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Opens a store whose directory syncs (still real) are recorded with the files the directory held at that moment.</summary>
    private FileMessageStore OpenObserved(List<(string Directory, string[] Files)> syncs) =>
        new(_prefix.Path, Uid, _logger, directory =>
        {
            syncs.Add((directory, Names(directory)));
            DirectorySync.Flush(directory);
        });

    [Fact]
    public void Constructor_NewDirectory_SyncsThePrefixThatHoldsIt()
    {
        var syncs = new List<(string Directory, string[] Files)>();

        using var store = OpenObserved(syncs);

        syncs.Select(s => s.Directory).Should().Equal(Path.GetFullPath(_prefix.Path));
    }

    [Fact]
    public void Save_SyncsTheDirectoryAfterTheRename()
    {
        var syncs = new List<(string Directory, string[] Files)>();
        using var store = OpenObserved(syncs);
        syncs.Clear();
        var message = Message(1, "one", MqttQos.ExactlyOnce);

        store.Save(message);
        message.PacketId = 3;
        message.Phase = OutboundPhase.Published;
        store.Save(message);

        syncs.Should().HaveCount(2, "one directory sync per save").And.AllSatisfy(sync =>
        {
            sync.Directory.Should().Be(store.DirectoryPath);
            sync.Files.Should().Equal([FileMessageStore.LockFileName, "0000000000000000001.msg"], "the entry was renamed into place, and no temporary file is left, before the sync");
        });
    }

    [Fact]
    public void Delete_SyncsTheDirectoryAfterTheRemoval()
    {
        var syncs = new List<(string Directory, string[] Files)>();
        using var store = OpenObserved(syncs);
        store.Save(Message(1, "one"));
        syncs.Clear();

        store.Delete(1);

        var sync = syncs.Should().ContainSingle("one directory sync per delete").Subject;
        sync.Directory.Should().Be(store.DirectoryPath);
        sync.Files.Should().Equal([FileMessageStore.LockFileName], "the entry was removed before the sync");
    }

    [Fact]
    public void Load_StaleTemporaryAndCorruptEntry_SyncsTheDirectoryAfterCleaningUp()
    {
        var syncs = new List<(string Directory, string[] Files)>();
        using var store = OpenObserved(syncs);
        File.WriteAllBytes(store.GetPath(1) + FileMessageStore.TemporaryExtension, [1, 2, 3]);
        File.WriteAllBytes(store.GetPath(2), [1, 2, 3]);
        syncs.Clear();

        store.Load().Should().BeEmpty();

        syncs.Should().ContainSingle().Which.Files.Should().Equal(FileMessageStore.LockFileName, "0000000000000000002.msg.corrupt");
    }

    [Fact]
    public void Load_NothingToCleanUp_DoesNotSync()
    {
        var syncs = new List<(string Directory, string[] Files)>();
        using var store = OpenObserved(syncs);
        store.Save(Message(1, "one"));
        syncs.Clear();

        store.Load().Should().ContainSingle();

        syncs.Should().BeEmpty();
    }

    [Fact]
    public void Save_DirectorySyncFails_ThrowsItsIOException()
    {
        var failure = new IOException("the disk is gone");
        var fail = false;
        using var store = new FileMessageStore(_prefix.Path, Uid, _logger, _ =>
        {
            if (fail)
            {
                throw failure;
            }
        });
        fail = true;

        FluentActions.Invoking(() => store.Save(Message(1, "one"))).Should().Throw<IOException>().Which.Should().BeSameAs(failure);
    }

    [Fact]
    public void Delete_DirectorySyncFails_IsLoggedAndDoesNotThrow()
    {
        var fail = false;
        using var store = new FileMessageStore(_prefix.Path, Uid, _logger, _ =>
        {
            if (fail)
            {
                throw new IOException("the disk is gone");
            }
        });
        store.Save(Message(1, "one"));
        fail = true;

        store.Delete(1);

        File.Exists(store.GetPath(1)).Should().BeFalse();
        var warning = _logger.Collector.GetSnapshot().Should().ContainSingle(r => r.Id.Id == 1204).Subject;
        warning.Message.Should().Be($"Syncing the File store directory {store.DirectoryPath} to disk failed; a removal or a set-aside there may be undone by a power loss.");
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void Save_DiskFull_ThrowsTheIOExceptionAndLeavesNoTemporaryFile()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() && File.Exists("/dev/full"), "needs Linux's /dev/full, where every write fails with ENOSPC");
        using var store = Open();
        var message = Message(1, "one", MqttQos.ExactlyOnce);
        store.Save(message);
        message.PacketId = 5;
        message.Phase = OutboundPhase.Published;

        // The temporary file's name leads to a device where every write fails with "no space left on device".
        File.CreateSymbolicLink(store.GetPath(1) + FileMessageStore.TemporaryExtension, "/dev/full");

        FluentActions.Invoking(() => store.Save(message)).Should().Throw<IOException>();

        Names(store.DirectoryPath).Should().Equal(FileMessageStore.LockFileName, "0000000000000000001.msg");
        store.Load().Should().ContainSingle().Which.Phase.Should().Be(OutboundPhase.Unsent, "the entry keeps its previous content");
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void Save_ReadOnlyDirectory_ThrowsUnauthorizedAccessAndLeavesNothing()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix permissions only");
        using var store = Open();
        File.SetUnixFileMode(store.DirectoryPath, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            Assert.SkipWhen(CanCreateFileIn(store.DirectoryPath), "this user writes into a read-only directory anyway (root); Save_DiskFull_… and Save_TemporaryCannotBeOpened_… fail the write instead");

            FluentActions.Invoking(() => store.Save(Message(1, "one"))).Should().Throw<UnauthorizedAccessException>();

            Names(store.DirectoryPath).Should().Equal(FileMessageStore.LockFileName);
        }
        finally
        {
            File.SetUnixFileMode(store.DirectoryPath, PrivateDirectory);
        }
    }

    [Fact]
    public void Save_TemporaryCannotBeOpened_ThrowsAndTheEntryKeepsItsContent()
    {
        using var store = Open();
        var message = Message(1, "one", MqttQos.ExactlyOnce);
        store.Save(message);
        message.PacketId = 5;
        message.Phase = OutboundPhase.Published;
        Directory.CreateDirectory(store.GetPath(1) + FileMessageStore.TemporaryExtension);

        FluentActions.Invoking(() => store.Save(message)).Should().Throw<Exception>()
            .Which.Should().Match(e => e is IOException || e is UnauthorizedAccessException, "the file system's own error surfaces");

        store.Load().Should().ContainSingle().Which.Phase.Should().Be(OutboundPhase.Unsent);
    }

    private static bool CanCreateFileIn(string directory)
    {
        var probe = Path.Combine(directory, "probe");
        try
        {
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
