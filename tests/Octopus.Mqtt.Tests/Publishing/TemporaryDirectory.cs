namespace Octopus.Mqtt.Tests.Publishing;

/// <summary>A fresh directory under the system temp directory, deleted on dispose.</summary>
internal sealed class TemporaryDirectory : IDisposable
{
    public TemporaryDirectory() =>
        Path = Directory.CreateTempSubdirectory("octopus-mqtt-").FullName;

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
