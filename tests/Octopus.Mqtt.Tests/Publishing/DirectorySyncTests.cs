using System.Runtime.InteropServices;

namespace Octopus.Mqtt.Tests.Publishing;

public sealed class DirectorySyncTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Flush_Directory_Succeeds() =>
        FluentActions.Invoking(() => DirectorySync.Flush(_directory.Path)).Should().NotThrow();

    [Fact]
    public void Flush_MissingDirectory_ThrowsAnIOExceptionNamingIt()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "a no-op on Windows");
        var missing = Path.Combine(_directory.Path, "missing");

        FluentActions.Invoking(() => DirectorySync.Flush(missing)).Should().Throw<IOException>()
            .WithMessage($"The File store directory \"{missing}\" could not be synced to disk (open failed): * (errno 2).");
    }

    [Fact]
    public void Flush_RegularFile_IsRefusedAsNotADirectory()
    {
        Assert.SkipUnless(
            OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.X86 or Architecture.Arm64 or Architecture.Arm,
            "O_DIRECTORY is passed on Linux on these architectures");
        var file = Path.Combine(_directory.Path, "file");
        File.WriteAllBytes(file, [1]);

        FluentActions.Invoking(() => DirectorySync.Flush(file)).Should().Throw<IOException>()
            .WithMessage($"The File store directory \"{file}\" could not be synced to disk (open failed): * (errno 20).");
    }
}
