namespace Octopus.Mqtt.Tests.Connection;

public sealed class ServerReferenceTests
{
    [Theory]
    [InlineData("tcp://a:1883", "b", "tcp://b:1883")]
    [InlineData("tcp://a:1883", "b:2883", "tcp://b:2883")]
    [InlineData("ssl://a:8883", "10.0.0.2:9883 b", "ssl://10.0.0.2:9883")]
    [InlineData("tcp://a:1883", "[fe80::1]:1884", "tcp://[fe80::1]:1884")]
    [InlineData("tcp://a:1883", "[fe80::1]", "tcp://[fe80::1]:1883")]
    [InlineData("wss://a:8443/mqtt", "b", "wss://b:8443/mqtt")]
    [InlineData("tcp://a:1883", "x:y b:1", "tcp://b:1")]
    [InlineData("tcp://a:1883", "  b  ", "tcp://b:1883")]
    public void TryResolve_Reference_KeepsSchemePathAndPortWhenNoneIsGiven(string current, string reference, string expected)
    {
        ServerReference.TryResolve(reference, ServerAddress.Parse(current), out var target).Should().BeTrue();
        target!.ToString().Should().Be(expected);
    }

    [Theory]
    [InlineData("tcp://a:1883", null)]
    [InlineData("tcp://a:1883", " ")]
    [InlineData("tcp://a:1883", "tcp://b:1883")]
    [InlineData("tcp://a:1883", "u@b")]
    [InlineData("unix:///run/mqtt.sock", "b")]
    public void TryResolve_NoUsableReference_IsFalse(string current, string? reference) =>
        ServerReference.TryResolve(reference, ServerAddress.Parse(current), out _).Should().BeFalse();
}
