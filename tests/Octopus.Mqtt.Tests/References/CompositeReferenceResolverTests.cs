using System.Text;

namespace Octopus.Mqtt.Tests.References;

public sealed class CompositeReferenceResolverTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task ResolveAsync_BothHaveTheItem_FirstWins()
    {
        var first = new InMemoryReferenceResolver { { "r", "i", "first" } };
        var second = new InMemoryReferenceResolver { { "r", "i", "second" } };

        var value = await new CompositeReferenceResolver(first, second).ResolveAsync("r", "i", None);

        Encoding.UTF8.GetString(value!).Should().Be("first");
    }

    [Fact]
    public async Task ResolveAsync_FirstHasNot_AsksTheNextInOrder()
    {
        var calls = new List<string>();
        var composite = new CompositeReferenceResolver(
            new RecordingResolver("one", null, calls),
            new RecordingResolver("two", [], calls),
            new RecordingResolver("three", "found"u8.ToArray(), calls),
            new RecordingResolver("four", "later"u8.ToArray(), calls));

        var value = await composite.ResolveAsync("r", "i", None);

        Encoding.UTF8.GetString(value!).Should().Be("found");
        calls.Should().Equal("one", "two", "three");
    }

    [Fact]
    public async Task ResolveAsync_NoneHasIt_ReturnsNull()
    {
        var composite = new CompositeReferenceResolver(new InMemoryReferenceResolver(), new InMemoryReferenceResolver());

        (await composite.ResolveAsync("r", "i", None)).Should().BeNull();
        (await new CompositeReferenceResolver().ResolveAsync("r", "i", None)).Should().BeNull();
    }

    [Fact]
    public async Task ResolveAsync_AStoreFails_PassesItsExceptionOnAndAsksNoFurther()
    {
        var calls = new List<string>();
        var failure = new IOException("disk gone");
        var composite = new CompositeReferenceResolver(
            new RecordingResolver("one", null, calls),
            new ThrowingResolver(failure),
            new RecordingResolver("three", "found"u8.ToArray(), calls));

        var thrown = await FluentActions.Awaiting(async () => await composite.ResolveAsync("r", "i", None)).Should().ThrowAsync<IOException>();

        thrown.Which.Should().BeSameAs(failure);
        calls.Should().Equal("one");
    }

    [Fact]
    public void Constructor_NullResolver_Throws() =>
        FluentActions.Invoking(() => new CompositeReferenceResolver(new InMemoryReferenceResolver(), null!))
            .Should().Throw<ArgumentException>().WithMessage("The resolver at index 1 is null. (Parameter 'resolvers')");

    [Fact]
    public async Task Constructor_Enumerable_KeepsItsOrder()
    {
        IEnumerable<IReferenceResolver> resolvers = [new InMemoryReferenceResolver { { "r", "i", "a" } }, new InMemoryReferenceResolver { { "r", "i", "b" } }];

        var value = await new CompositeReferenceResolver(resolvers).ResolveAsync("r", "i", None);

        Encoding.UTF8.GetString(value!).Should().Be("a");
    }

    private sealed class RecordingResolver(string id, byte[]? value, List<string> calls) : IReferenceResolver
    {
        public ValueTask<byte[]?> ResolveAsync(string name, string item, CancellationToken cancellationToken = default)
        {
            calls.Add(id);
            return ValueTask.FromResult(value);
        }
    }

    private sealed class ThrowingResolver(Exception exception) : IReferenceResolver
    {
        public ValueTask<byte[]?> ResolveAsync(string name, string item, CancellationToken cancellationToken = default) =>
            ValueTask.FromException<byte[]?>(exception);
    }
}
