using System.Text;

namespace Octopus.Mqtt.Tests.References;

public sealed class InMemoryReferenceResolverTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task ResolveAsync_StringAndBytesItems_ReturnsTheirBytes()
    {
        var resolver = new InMemoryReferenceResolver
        {
            { "mqtt-secret", "username", "admin" },
            { "mqtt-ca", "ca.crt", new byte[] { 1, 2, 3 } },
        };

        (await resolver.ResolveAsync("mqtt-secret", "username", None)).Should().Equal(Encoding.UTF8.GetBytes("admin"));
        (await resolver.ResolveAsync("mqtt-ca", "ca.crt", None)).Should().Equal(1, 2, 3);
    }

    [Fact]
    public async Task Add_WholeReferences_StoresEveryItem()
    {
        var resolver = new InMemoryReferenceResolver
        {
            { "secret", new Dictionary<string, byte[]> { ["a"] = [1], ["b"] = [2] } },
            { "config", new Dictionary<string, string> { ["c"] = "three" } },
        };

        (await resolver.ResolveAsync("secret", "a", None)).Should().Equal(1);
        (await resolver.ResolveAsync("secret", "b", None)).Should().Equal(2);
        (await resolver.ResolveAsync("config", "c", None)).Should().Equal(Encoding.UTF8.GetBytes("three"));
    }

    [Theory]
    [InlineData("missing", "password")]
    [InlineData("mqtt-secret", "missing")]
    [InlineData("mqtt-secret", "empty")]
    [InlineData("MQTT-SECRET", "password")]
    [InlineData("mqtt-secret", "Password")]
    public async Task ResolveAsync_MissingReferenceItemOrEmptyValue_ReturnsNull(string name, string item)
    {
        var resolver = new InMemoryReferenceResolver
        {
            { "mqtt-secret", "password", "s3cret" },
            { "mqtt-secret", "empty", string.Empty },
        };

        (await resolver.ResolveAsync(name, item, None)).Should().BeNull();
    }

    [Fact]
    public async Task Add_SameItemAgain_ReplacesTheValue()
    {
        var resolver = new InMemoryReferenceResolver { { "mqtt-secret", "password", "old" } };

        resolver.Add("mqtt-secret", "password", "rotated");

        (await resolver.ResolveAsync("mqtt-secret", "password", None)).Should().Equal(Encoding.UTF8.GetBytes("rotated"));
    }

    [Fact]
    public async Task AddAndResolve_CopyTheBytes_CallerBuffersDoNotAliasTheStore()
    {
        var value = new byte[] { 1, 2, 3 };
        var resolver = new InMemoryReferenceResolver { { "r", "i", value } };

        value[0] = 9;
        var first = await resolver.ResolveAsync("r", "i", None);
        first![1] = 9;

        (await resolver.ResolveAsync("r", "i", None)).Should().Equal(1, 2, 3);
    }

    [Fact]
    public async Task Remove_ItemReferenceOrAll_LeavesThemNotFound()
    {
        var resolver = new InMemoryReferenceResolver
        {
            { "a", "x", "1" },
            { "a", "y", "2" },
            { "b", "z", "3" },
            { "c", "w", "4" },
        };

        resolver.Remove("a", "x").Should().BeTrue();
        resolver.Remove("a", "x").Should().BeFalse();
        resolver.Remove("b").Should().BeTrue();
        resolver.Remove("b").Should().BeFalse();

        (await resolver.ResolveAsync("a", "x", None)).Should().BeNull();
        (await resolver.ResolveAsync("a", "y", None)).Should().NotBeNull();
        (await resolver.ResolveAsync("b", "z", None)).Should().BeNull();

        resolver.Clear();

        (await resolver.ResolveAsync("a", "y", None)).Should().BeNull();
        (await resolver.ResolveAsync("c", "w", None)).Should().BeNull();
    }

    [Fact]
    public void GetEnumerator_ReturnsACopyOfTheReferencesMap()
    {
        var resolver = new InMemoryReferenceResolver
        {
            { "a", "x", new byte[] { 1 } },
            { "b", "y", new byte[] { 2 } },
        };

        var snapshot = resolver.ToDictionary(pair => pair.Key, pair => pair.Value);
        snapshot["a"]["x"][0] = 9;

        snapshot.Keys.Should().BeEquivalentTo("a", "b");
        snapshot["b"]["y"].Should().Equal(2);
        resolver.Single(pair => pair.Key == "a").Value["x"].Should().Equal(1);
    }

    [Fact]
    public async Task ResolveAsync_CanceledToken_Throws()
    {
        var resolver = new InMemoryReferenceResolver { { "r", "i", "v" } };

        await FluentActions.Awaiting(async () => await resolver.ResolveAsync("r", "i", new CancellationToken(canceled: true)))
            .Should().ThrowAsync<OperationCanceledException>();
    }
}
