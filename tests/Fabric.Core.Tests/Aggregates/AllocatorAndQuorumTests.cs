using Fabric.Core.Aggregates;
using Fabric.Core.Aggregates.Allocators;
using Fabric.Core.Allocation;
using Fabric.Core.Api;
using Fabric.Core.Quorum;

namespace Fabric.Core.Tests.Aggregates;

public sealed class AllocatorAndQuorumTests
{
    private static readonly AllocatorAggregate Allocator = AllocatorAggregate.Instance;
    private static readonly DecideContext Ctx = new(0, Guid.Empty);

    private static Reserve Minor(string owner, NumberRange? range = null, int? preferred = null) =>
        new(owner, range ?? NumberPools.DefaultMinors, "DRBD minor number", NumberPools.MinorRangeProp, ApiConsts.FailPoolExhaustedMinorNr, preferred);

    private static AllocatorState Run(AllocatorState state, IAllocatorCommand command) =>
        Allocator.Decide(state, command, Ctx) is Decision<IAllocatorEvent>.Accepted a ? a.Events.Aggregate(state, Allocator.Apply) : state;

    [Fact]
    public void Numbers_are_first_fit_and_a_repeated_request_returns_the_same_number()
    {
        var state = Run(Run(AllocatorState.Empty("MINOR"), Minor("a")), Minor("b"));
        var again = Run(state, Minor("a"));

        Assert.Equal(1000, AllocatorAggregate.NumberOf(again, "a"));
        Assert.Equal(1001, AllocatorAggregate.NumberOf(again, "b"));
        Assert.Equal(2, again.ByNumber.Count);
    }

    [Fact]
    public void A_released_number_is_handed_out_again_first()
    {
        var state = new[] { "a", "b", "c" }.Aggregate(AllocatorState.Empty("MINOR"), (s, o) => Run(s, Minor(o)));
        state = Run(state, new Release("a"));

        Assert.Equal(1000, AllocatorAggregate.NumberOf(Run(state, Minor("d")), "d"));
    }

    [Fact]
    public void Exhaustion_names_the_range_and_the_property_that_widens_it()
    {
        var range = new NumberRange(5, 6);
        var state = Run(Run(AllocatorState.Empty("MINOR"), Minor("a", range)), Minor("b", range));

        var decision = Allocator.Decide(state, Minor("c", range), Ctx);

        var error = Assert.IsType<Decision<IAllocatorEvent>.Rejected>(decision).Error;
        Assert.Equal(ApiConsts.FailPoolExhaustedMinorNr, ApiConsts.CodeOf(error.RetCode));
        Assert.Contains("5-6", error.Message);
        Assert.Contains(NumberPools.MinorRangeProp, error.Correction);
    }

    [Fact]
    public void A_narrowed_range_still_finds_gaps_below_the_hint()
    {
        var state = new[] { "a", "b", "c" }.Aggregate(AllocatorState.Empty("MINOR"), (s, o) => Run(s, Minor(o)));
        state = Run(state, new Release("b"));
        state = Run(state, Minor("x", new NumberRange(2000, 2000)));

        Assert.Equal(1001, AllocatorAggregate.NumberOf(Run(state, Minor("y", new NumberRange(1000, 1002))), "y"));
    }

    [Fact]
    public void A_preferred_number_in_use_is_refused()
    {
        var state = Run(AllocatorState.Empty("MINOR"), Minor("a"));

        Assert.IsType<Decision<IAllocatorEvent>.Rejected>(Allocator.Decide(state, Minor("b", preferred: 1000), Ctx));
        Assert.Equal(1500, AllocatorAggregate.NumberOf(Run(state, Minor("b", preferred: 1500)), "b"));
    }

    [Theory]
    [InlineData("1000-49999", 1000, 49999)]
    [InlineData(" 7000 - 7010 ", 7000, 7010)]
    public void Ranges_parse(string text, int first, int last) =>
        Assert.Equal(new NumberRange(first, last), NumberRange.Parse(text, 0, 65535).Range);

    [Theory]
    [InlineData("9-1")]
    [InlineData("abc")]
    [InlineData("1-99999999")]
    public void Bad_ranges_fall_back_to_the_default(string text) =>
        Assert.Equal(NumberPools.DefaultMinors, NumberPools.MinorsFrom(text));

    [Theory]
    [InlineData(3, 0, true)]
    [InlineData(2, 1, true)]
    [InlineData(2, 0, false)]
    [InlineData(1, 2, false)]
    public void Quorum_is_feasible_with_three_diskful_or_two_plus_a_diskless(int diskful, int diskless, bool feasible)
    {
        var replicas = Enumerable.Range(0, diskful).Select(i => new QuorumReplica($"D{i}", false, false))
            .Concat(Enumerable.Range(0, diskless).Select(i => new QuorumReplica($"L{i}", true, false)));

        Assert.Equal(feasible, QuorumRules.IsFeasible(replicas));
    }

    [Fact]
    public void Tiebreaker_rules_follow_the_even_diskful_count()
    {
        QuorumReplica D(string n) => new(n, false, false);
        var tb = new QuorumReplica("T", true, true);

        Assert.IsType<TiebreakerAction.Add>(QuorumRules.Tiebreaker([D("a"), D("b")], QuorumPolicy.Default));
        Assert.IsType<TiebreakerAction.None>(QuorumRules.Tiebreaker([D("a"), D("b"), tb], QuorumPolicy.Default));
        Assert.Equal("T", Assert.IsType<TiebreakerAction.Remove>(QuorumRules.Tiebreaker([D("a"), D("b"), D("c"), tb], QuorumPolicy.Default)).NodeKey);
        Assert.IsType<TiebreakerAction.None>(QuorumRules.Tiebreaker([D("a"), D("b")], QuorumPolicy.Default with { AutoTiebreaker = false }));
        Assert.IsType<TiebreakerAction.None>(QuorumRules.Tiebreaker([D("a")], QuorumPolicy.Default));
    }

    [Fact]
    public void Policy_reads_props_in_priority_order_and_ignores_quorum_written_by_auto_quorum()
    {
        var rd = new Dictionary<string, string> { [QuorumPolicy.QuorumProp] = "majority", [QuorumPolicy.QuorumSetByProp] = "linstor" };
        var controller = new Dictionary<string, string> { [QuorumPolicy.AutoQuorumProp] = "suspend-io", [QuorumPolicy.AutoTiebreakerProp] = "False" };

        var policy = QuorumPolicy.From(rd, null, controller);

        Assert.Equal(new QuorumPolicy("suspend-io", false, false), policy);
        Assert.True(QuorumPolicy.From(null, new Dictionary<string, string> { [QuorumPolicy.QuorumProp] = "off" }, controller).UserSetQuorum);
    }
}
