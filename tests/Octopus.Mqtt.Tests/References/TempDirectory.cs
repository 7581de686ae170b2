namespace Octopus.Mqtt.Tests.References;

/// <summary>A fresh directory under the system's temporary folder, deleted with everything in it on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("octopus-mqtt-references-");

    public string Path => _directory.FullName;

    public void Dispose() => _directory.Delete(recursive: true);
}
