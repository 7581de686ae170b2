namespace Octopus.Mqtt.Tests.Templates;

/// <summary>Files of the repository the tests run from: the folder above the test's binaries that holds Octopus.Mqtt.sln.</summary>
internal static class RepositoryFiles
{
    /// <summary>Gets the repository's root folder.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Gets the folder of the octopus-adaptor template's content.</summary>
    public static string AdaptorTemplate { get; } = Path.Combine(Root, "src", "Octopus.Mqtt.Templates", "templates", "octopus-adaptor");

    /// <summary>Reads a file of the repository with its line endings as "\n".</summary>
    public static string ReadText(string path) => File.ReadAllText(Path.Combine(Root, path)).ReplaceLineEndings("\n");

    /// <summary>
    /// The template's files, as paths relative to its folder with "/" separators: all but its .template.config and
    /// any bin/ or obj/ left by a build in place.
    /// </summary>
    public static IReadOnlyList<string> AdaptorTemplateFiles() =>
        [.. Directory.EnumerateFiles(AdaptorTemplate, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(AdaptorTemplate, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(f => !f.StartsWith(".template.config/", StringComparison.Ordinal)
                && !f.Split('/').Any(part => part is "bin" or "obj"))
            .Order(StringComparer.Ordinal)];

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Octopus.Mqtt.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Octopus.Mqtt.sln above {AppContext.BaseDirectory}.");
    }
}
