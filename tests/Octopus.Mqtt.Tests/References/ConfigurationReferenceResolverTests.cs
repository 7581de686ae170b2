using System.Text;
using Microsoft.Extensions.Configuration;

namespace Octopus.Mqtt.Tests.References;

public sealed class ConfigurationReferenceResolverTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly IConfigurationRoot _configuration = new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Octopus:References:mqtt-secret:username"] = "admin",
            ["Octopus:References:mqtt-secret:password"] = "s3cret",
            ["Octopus:References:mqtt-secret:empty"] = string.Empty,
            ["Octopus:References:mqtt-secret:nested:deeper"] = "x",
            ["Octopus:Other:mqtt-secret:password"] = "elsewhere",
        })
        .Build();

    private ConfigurationReferenceResolver Resolver => new(_configuration.GetSection("Octopus:References"));

    [Fact]
    public async Task ResolveAsync_KeyUnderTheSection_ReturnsItsUtf8Bytes() =>
        (await Resolver.ResolveAsync("mqtt-secret", "password", None)).Should().Equal(Encoding.UTF8.GetBytes("s3cret"));

    [Fact]
    public async Task ResolveAsync_NameAndItem_AreCaseInsensitiveAsConfigurationKeys() =>
        (await Resolver.ResolveAsync("MQTT-Secret", "USERNAME", None)).Should().Equal(Encoding.UTF8.GetBytes("admin"));

    [Theory]
    [InlineData("missing", "password")]
    [InlineData("mqtt-secret", "missing")]
    [InlineData("mqtt-secret", "empty")]
    [InlineData("mqtt-secret", "nested")]
    public async Task ResolveAsync_MissingEmptyOrASection_ReturnsNull(string name, string item) =>
        (await Resolver.ResolveAsync(name, item, None)).Should().BeNull();

    [Fact]
    public async Task ResolveAsync_ValueChangesInConfiguration_ReadsTheNewValue()
    {
        var resolver = Resolver;
        (await resolver.ResolveAsync("mqtt-secret", "password", None)).Should().Equal(Encoding.UTF8.GetBytes("s3cret"));

        _configuration["Octopus:References:mqtt-secret:password"] = "rotated";

        (await resolver.ResolveAsync("mqtt-secret", "password", None)).Should().Equal(Encoding.UTF8.GetBytes("rotated"));
    }

    [Theory]
    [InlineData("", "password", "The reference name \"\" cannot be read from configuration: it must not be empty or contain ':'. (Parameter 'name')")]
    [InlineData("Other:mqtt-secret", "password", "The reference name \"Other:mqtt-secret\" cannot be read from configuration: it must not be empty or contain ':'. (Parameter 'name')")]
    [InlineData("mqtt-secret", "", "The item \"\" cannot be read from configuration: it must not be empty or contain ':'. (Parameter 'item')")]
    [InlineData("mqtt-secret", "nested:deeper", "The item \"nested:deeper\" cannot be read from configuration: it must not be empty or contain ':'. (Parameter 'item')")]
    public async Task ResolveAsync_NameOrItemWithTheKeyDelimiter_IsRefused(string name, string item, string message) =>
        await FluentActions.Awaiting(async () => await Resolver.ResolveAsync(name, item, None))
            .Should().ThrowAsync<ArgumentException>().WithMessage(message);
}
