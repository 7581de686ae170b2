namespace Octopus.Mqtt.Tests.Session;

public sealed class PacketIdAllocatorTests
{
    [Fact]
    public void Allocate_Fresh_HandsOutRoundRobinFromOne()
    {
        var ids = new PacketIdAllocator();

        var first = new[] { ids.Allocate(), ids.Allocate(), ids.Allocate() };
        ids.Release(first[0]);

        first.Should().Equal(1, 2, 3);
        ids.Allocate().Should().Be(4, "a freed identifier is not reused at once");
        ids.Count.Should().Be(3);
    }

    [Fact]
    public void Allocate_AfterTheLast_WrapsToOneAndSkipsIdentifiersInUse()
    {
        var ids = new PacketIdAllocator();
        ids.Reserve(1).Should().BeTrue();
        ids.Reserve(2).Should().BeTrue();
        for (var i = 3; i <= ushort.MaxValue; i++)
        {
            ids.Allocate();
        }

        ids.Release(2);
        ids.Release(40_000);

        ids.Allocate().Should().Be(2, "1 is still in use after the wrap");
        ids.Allocate().Should().Be(40_000);
    }

    [Fact]
    public void Allocate_AllInUse_ThrowsInsteadOfLooping()
    {
        var ids = new PacketIdAllocator();
        for (var i = 1; i <= ushort.MaxValue; i++)
        {
            ids.Allocate();
        }

        FluentActions.Invoking(ids.Allocate).Should().Throw<InvalidOperationException>().WithMessage("All 65535 packet identifiers are in use.");
    }

    [Fact]
    public void Reserve_ZeroOrTaken_IsRefused()
    {
        var ids = new PacketIdAllocator();

        ids.Reserve(0).Should().BeFalse("0 is not a packet identifier");
        ids.Reserve(7).Should().BeTrue();
        ids.Reserve(7).Should().BeFalse();
        ids.IsUsed(7).Should().BeTrue();
    }
}
