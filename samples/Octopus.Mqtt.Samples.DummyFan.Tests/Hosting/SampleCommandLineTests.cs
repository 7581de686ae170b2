namespace Octopus.Mqtt.Samples.DummyFan.Tests.Hosting;

public sealed class SampleCommandLineTests
{
    [Fact]
    public void Parse_NoArguments_EmbeddedBrokerAndTheShippedDeviceLinkUntilStopped()
    {
        var commandLine = SampleCommandLine.Parse([], out var error);

        error.Should().BeNull();
        commandLine.Should().Be(new SampleCommandLine());
        commandLine!.Server.Should().BeNull();
        commandLine.DeviceLink.Should().Be(SampleCommandLine.DefaultDeviceLink);
        File.Exists(commandLine.DeviceLink).Should().BeTrue();
        commandLine.Duration.Should().BeNull();
    }

    [Fact]
    public void Parse_EveryOption_ReadsThem()
    {
        var commandLine = SampleCommandLine.Parse(["--server", "tcp://broker:1883", "--devicelink=fan.json", "--duration", "2.5"], out var error);

        error.Should().BeNull();
        commandLine.Should().Be(new SampleCommandLine { Server = "tcp://broker:1883", DeviceLink = "fan.json", Duration = TimeSpan.FromSeconds(2.5) });
    }

    [Fact]
    public void DefaultDeviceLink_InACheckout_IsTheFileBesideTheSources()
    {
        SampleCommandLine.DefaultDeviceLink.Should().EndWith(
            Path.Combine("samples", "Octopus.Mqtt.Samples.DummyFan", "devicelink.yaml"));
    }

    [Theory]
    [InlineData("--duration", "0", "--duration 0 is not a number of seconds greater than 0")]
    [InlineData("--duration", "soon", "--duration soon is not a number of seconds greater than 0")]
    [InlineData("--port", "1883", "unknown argument --port; expected --server URI, --devicelink FILE, --duration SECONDS or --help")]
    public void Parse_WrongArgument_SaysWhatIsWrong(string name, string value, string expected)
    {
        var commandLine = SampleCommandLine.Parse([name, value], out var error);

        commandLine.Should().BeNull();
        error.Should().Be(expected);
    }

    [Fact]
    public void Parse_OptionWithoutValue_SaysItNeedsOne()
    {
        var commandLine = SampleCommandLine.Parse(["--server"], out var error);

        commandLine.Should().BeNull();
        error.Should().Be("--server needs a value");
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Parse_Help_AsksForHelp(string argument)
    {
        SampleCommandLine.Parse([argument], out _)!.Help.Should().BeTrue();
    }
}
