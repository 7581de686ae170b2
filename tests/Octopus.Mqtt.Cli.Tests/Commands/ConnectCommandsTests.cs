using System.CommandLine;
using System.Text;

namespace Octopus.Mqtt.Cli.Tests.Commands;

public class ConnectCommandsTests
{
    private ConnectRequest? _request;

    [Fact]
    public async Task CreatePub_FileOnly_PublishesAnEmptyObject()
    {
        var exitCode = await InvokeAsync(ConnectCommands.CreatePub(RecordAsync), "devicelink.yaml");

        exitCode.Should().Be(7);
        _request!.File.Should().Be("devicelink.yaml");
        Encoding.UTF8.GetString(_request.Payload!).Should().Be("{}");
        _request.ReferencesDirectory.Should().BeNull();
        _request.RenderMap.Should().BeEmpty();
        _request.Identity.Should().Be(IdentityFlags.None);
    }

    [Fact]
    public async Task CreatePub_EveryOption_IsInTheRequest()
    {
        var references = CliRun.DeviceLinks;

        await InvokeAsync(
            ConnectCommands.CreatePub(RecordAsync),
            "devicelink.yaml", "--payload", "{\"gear\":\"fast\"}", "--references", references, "--render", "path=hall", "--render", "path=", "--uid", "u-1");

        Encoding.UTF8.GetString(_request!.Payload!).Should().Be("{\"gear\":\"fast\"}");
        _request.ReferencesDirectory.Should().Be(references);
        _request.RenderMap.Should().Equal(new Dictionary<string, string> { ["path"] = string.Empty });
        _request.Identity.Should().Be(new IdentityFlags(null, null, "u-1"));
    }

    [Fact]
    public void CreatePub_PayloadThatIsNotJson_IsAParseError()
    {
        var parsed = ConnectCommands.CreatePub(RecordAsync).Parse(["devicelink.yaml", "--payload", "gear=fast"]);

        parsed.Errors.Select(e => e.Message).Should().Equal(
            "--payload expects JSON, e.g. '{\"gear\":\"fast\"}' or '\"text\"': 'g' is an invalid start of a value. LineNumber: 0 | BytePositionInLine: 0.");
    }

    [Fact]
    public async Task CreateSub_FileOnly_HasNoPayload()
    {
        await InvokeAsync(ConnectCommands.CreateSub(RecordAsync), "devicelink.yaml", "--render", "operator=status");

        _request!.Payload.Should().BeNull();
        _request.Count.Should().BeNull();
        _request.RenderMap.Should().Equal(new Dictionary<string, string> { ["operator"] = "status" });
    }

    [Fact]
    public void CreateSub_ReferencesThatAreNotADirectory_IsAParseError()
    {
        var missing = Path.Combine(CliRun.DeviceLinks, "no-such-directory");

        var parsed = ConnectCommands.CreateSub(RecordAsync).Parse(["devicelink.yaml", "--references", missing]);

        parsed.Errors.Select(e => e.Message).Should().Equal($"--references: \"{missing}\" is not a directory.");
    }

    [Fact]
    public async Task CreateSub_Count_IsInTheRequest()
    {
        await InvokeAsync(ConnectCommands.CreateSub(RecordAsync), "devicelink.yaml", "--count", "3");

        _request!.Count.Should().Be(3);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    public void CreateSub_CountBelowOne_IsAParseError(string count)
    {
        var parsed = ConnectCommands.CreateSub(RecordAsync).Parse(["devicelink.yaml", "--count", count]);

        parsed.Errors.Select(e => e.Message).Should().Equal("--count expects a whole number of 1 or more.");
    }

    [Fact]
    public void CreateSub_Payload_IsUnknown()
    {
        var parsed = ConnectCommands.CreateSub(RecordAsync).Parse(["devicelink.yaml", "--payload", "{}"]);

        parsed.Errors.Should().NotBeEmpty();
    }

    private static Task<int> InvokeAsync(Command command, params string[] args) =>
        command.Parse(args).InvokeAsync(new InvocationConfiguration { Output = TextWriter.Null, Error = TextWriter.Null }, TestContext.Current.CancellationToken);

    private Task<int> RecordAsync(ConnectRequest request, CancellationToken cancellationToken)
    {
        _request = request;
        return Task.FromResult(7);
    }
}
