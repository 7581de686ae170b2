using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Octopus.Mqtt.Tests.Templates;

/// <summary>
/// The octopus-adaptor template (src/Octopus.Mqtt.Templates) and docs/first-adaptor.md, which shows its files: the page
/// shows each file as it is, so the code on the page is the code CI builds and tests from the packed template
/// (.ci/package-check); the packages the template references are the version packed with it.
/// </summary>
public sealed partial class OctopusAdaptorTemplateTests
{
    private const string FirstAdaptorDoc = "docs/first-adaptor.md";

    [Fact]
    public void FirstAdaptorDoc_EveryFileBlock_IsTheTemplatesFile()
    {
        var blocks = FileBlockPattern().Matches(RepositoryFiles.ReadText(FirstAdaptorDoc));

        blocks.Should().NotBeEmpty($"{FirstAdaptorDoc} shows the template's files");
        foreach (Match block in blocks)
        {
            var path = block.Groups["path"].Value;
            var file = Path.Combine(RepositoryFiles.AdaptorTemplate, path);
            File.Exists(file).Should().BeTrue($"{FirstAdaptorDoc} shows \"{path}\", a file of the template");
            (block.Groups["code"].Value + "\n").Should().Be(
                File.ReadAllText(file).ReplaceLineEndings("\n"),
                $"{FirstAdaptorDoc}'s block of {path} must be the template's file; copy the file into the page");
        }
    }

    [Fact]
    public void FirstAdaptorDoc_EveryTemplateFile_IsShownOnce()
    {
        var shown = FileBlockPattern().Matches(RepositoryFiles.ReadText(FirstAdaptorDoc)).Select(m => m.Groups["path"].Value);

        shown.Order(StringComparer.Ordinal).Should().Equal(
            RepositoryFiles.AdaptorTemplateFiles(),
            $"{FirstAdaptorDoc} goes from an empty folder to a passing test, so it shows every file of the template");
    }

    [Fact]
    public void TemplateProjects_OctopusMqttPackages_AreTheVersionPackedWithTheTemplate()
    {
        var packed = XDocument.Parse(RepositoryFiles.ReadText("src/Directory.Build.props"))
            .Descendants("VersionPrefix").Single().Value;
        var references = RepositoryFiles.AdaptorTemplateFiles()
            .Where(f => f.EndsWith(".csproj", StringComparison.Ordinal))
            .SelectMany(f => XDocument.Load(Path.Combine(RepositoryFiles.AdaptorTemplate, f)).Descendants("PackageReference"))
            .Where(r => ((string?)r.Attribute("Include"))!.StartsWith("Octopus.Mqtt", StringComparison.Ordinal))
            .ToList();

        references.Select(r => (string?)r.Attribute("Include")).Should().BeEquivalentTo("Octopus.Mqtt", "Octopus.Mqtt.Testing");
        references.Should().OnlyContain(
            r => (string?)r.Attribute("Version") == packed,
            $"the template is packed with Octopus.Mqtt {packed} (VersionPrefix of src/Directory.Build.props) and must reference that version");
    }

    [Fact]
    public void TemplateFiles_SourceName_AppearsOnlyAsAWholeName()
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryFiles.AdaptorTemplate, ".template.config", "template.json")));
        var sourceName = config.RootElement.GetProperty("sourceName").GetString()!;
        sourceName.Should().Be("Thermo");

        foreach (var path in RepositoryFiles.AdaptorTemplateFiles())
        {
            var text = File.ReadAllText(Path.Combine(RepositoryFiles.AdaptorTemplate, path));
            var anyCase = Regex.Count(text, sourceName, RegexOptions.IgnoreCase);
            var whole = Regex.Count(text, $@"(?<![A-Za-z0-9]){sourceName}(?![a-z0-9])");
            anyCase.Should().Be(whole, $"dotnet new replaces \"{sourceName}\" in any case with the project's name, so in {path} it must be nothing but the name");
        }
    }

    [GeneratedRegex(@"<!-- file: (?<path>[^ ]+) -->\n```\w*\n(?<code>.*?)\n```\n", RegexOptions.Singleline)]
    private static partial Regex FileBlockPattern();
}
