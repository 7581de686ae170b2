namespace Octopus.Mqtt.Cli.Tests;

/// <summary>A file in a fresh temporary directory, deleted with it.</summary>
internal sealed class TempFile : IDisposable
{
    private readonly string _directory;

    private TempFile(string name)
    {
        _directory = Directory.CreateTempSubdirectory("octopus-mqtt-cli-").FullName;
        Path = System.IO.Path.Combine(_directory, name);
    }

    public string Path { get; }

    public static TempFile WithText(string name, string text)
    {
        var file = new TempFile(name);
        File.WriteAllText(file.Path, text);
        return file;
    }

    public static TempFile WithBytes(string name, byte[] bytes)
    {
        var file = new TempFile(name);
        File.WriteAllBytes(file.Path, bytes);
        return file;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
