using Fabric.Core.Views;

namespace Fabric.Core.Tests.Views;

public sealed class ReadModelChangeLogTests
{
    [Fact]
    public void A_follower_reads_exactly_the_changes_after_its_position()
    {
        var log = new ReadModelChangeLog(capacity: 8);
        log.Record("node|A");
        var seen = new List<string>();
        Assert.True(log.TryReadSince(0, seen, out var position));
        Assert.Equal(["node|A"], seen);

        log.Record("resource|R1");
        log.Record("resource|R2");
        seen.Clear();
        Assert.True(log.TryReadSince(position, seen, out position));
        Assert.Equal(["resource|R1", "resource|R2"], seen);

        seen.Clear();
        Assert.True(log.TryReadSince(position, seen, out _));
        Assert.Empty(seen);
    }

    [Fact]
    public void A_follower_that_fell_behind_the_capacity_or_a_reset_must_rescan()
    {
        var log = new ReadModelChangeLog(capacity: 4);
        for (var i = 0; i < 5; i++)
        {
            log.Record($"resource|R{i}");
        }
        Assert.False(log.TryReadSince(0, new List<string>(), out var head));
        Assert.True(log.TryReadSince(head, new List<string>(), out _));

        log.Reset();
        Assert.False(log.TryReadSince(head, new List<string>(), out var afterReset));
        log.Record("node|A");
        var seen = new List<string>();
        Assert.True(log.TryReadSince(afterReset, seen, out _));
        Assert.Equal(["node|A"], seen);
    }
}
