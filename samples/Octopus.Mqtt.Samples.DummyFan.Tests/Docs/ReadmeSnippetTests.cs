using System.Text.RegularExpressions;

namespace Octopus.Mqtt.Samples.DummyFan.Tests.Docs;

/// <summary>
/// The code shown in README.md is the sample's, so it compiles: each <c>&lt;!-- snippet: NAME --&gt;</c> marker in
/// the README is followed by a C# block equal to the <c>#region snippet:NAME</c> of the sample's sources.
/// </summary>
public sealed partial class ReadmeSnippetTests
{
    private static readonly string Root = FindRepositoryRoot();

    [Fact]
    public void Readme_EverySnippet_IsTheSamplesRegion()
    {
        var readme = File.ReadAllText(Path.Combine(Root, "README.md")).ReplaceLineEndings("\n");
        var regions = SampleRegions();

        var snippets = SnippetPattern().Matches(readme);

        snippets.Should().NotBeEmpty("README.md shows the sample's adaptor code");
        foreach (Match snippet in snippets)
        {
            var name = snippet.Groups["name"].Value;
            regions.Should().ContainKey(name, $"README.md shows the snippet \"{name}\", so a sample source file has #region snippet:{name}");
            snippet.Groups["code"].Value.Should().Be(
                regions[name],
                $"README.md's snippet \"{name}\" must be the sample's #region snippet:{name}; copy the region into README.md");
        }
    }

    [Fact]
    public void Readme_TestCommand_IsDotnetTest()
    {
        var readme = File.ReadAllText(Path.Combine(Root, "README.md")).ReplaceLineEndings("\n");

        readme.Should().Contain("```sh\ndotnet test\n```", "CI runs the README's test command");
        readme.Should().Contain("```sh\ndotnet run --project samples/Octopus.Mqtt.Samples.DummyFan\n```");
    }

    /// <summary>The sample's snippet regions, by name, with their common indentation removed.</summary>
    private static Dictionary<string, string> SampleRegions()
    {
        var regions = new Dictionary<string, string>(StringComparer.Ordinal);
        var sources = Path.Combine(Root, "samples", "Octopus.Mqtt.Samples.DummyFan");
        foreach (var file in Directory.EnumerateFiles(sources, "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (Match region in RegionPattern().Matches(File.ReadAllText(file).ReplaceLineEndings("\n")))
            {
                regions.Add(region.Groups["name"].Value, Dedent(region.Groups["code"].Value));
            }
        }

        return regions;
    }

    private static string Dedent(string code)
    {
        var lines = code.Split('\n');
        var indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart(' ').Length);
        return string.Join('\n', lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart(' ')));
    }

    private static string FindRepositoryRoot()
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

    [GeneratedRegex(@"<!-- snippet: (?<name>[\w-]+)[^\n]*-->\n```csharp\n(?<code>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex SnippetPattern();

    [GeneratedRegex(@"#region snippet:(?<name>[\w-]+)\n(?<code>.*?)\n[ \t]*#endregion", RegexOptions.Singleline)]
    private static partial Regex RegionPattern();
}
