namespace Octopus.Mqtt.Tests.Options;

public sealed class WillContentTests
{
    [Theory]
    [InlineData("", new byte[0])]
    [InlineData("AA==", new byte[] { 0 })]
    [InlineData("AA", new byte[] { 0 })]
    [InlineData("AAE=", new byte[] { 0, 1 })]
    [InlineData("AAE", new byte[] { 0, 1 })]
    [InlineData("AAEC", new byte[] { 0, 1, 2 })]
    [InlineData("+/+/", new byte[] { 0xFB, 0xFF, 0xBF })]
    [InlineData("-_-_", new byte[] { 0xFB, 0xFF, 0xBF })]
    [InlineData("AA\nE=", new byte[] { 0, 1 })]
    public void TryDecode_Base64InAnyCommonForm_Decodes(string text, byte[] expected)
    {
        WillContent.TryDecode(text, out var bytes).Should().BeTrue();

        bytes.Should().Equal(expected);
    }

    [Theory]
    [InlineData("A")]
    [InlineData("AAAAA")]
    [InlineData("A=A=")]
    [InlineData("not base64!")]
    [InlineData("éé")]
    public void TryDecode_NotBase64_Fails(string text) =>
        WillContent.TryDecode(text, out _).Should().BeFalse();
}
