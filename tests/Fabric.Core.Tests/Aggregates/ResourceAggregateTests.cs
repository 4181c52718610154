using System.Collections.Immutable;
using Fabric.Core.Aggregates;
using Fabric.Core.Aggregates.Allocators;
using Fabric.Core.Aggregates.Resources;
using Fabric.Core.Api;
using Fabric.Core.Properties;
using Fabric.Core.Quorum;

namespace Fabric.Core.Tests.Aggregates;

/// <summary>The resource decider and its operation process as pure functions.</summary>
public sealed class ResourceAggregateTests
{
    private static readonly ResourceAggregate Resource = ResourceAggregate.Instance;
    private static readonly DecideContext Ctx = new(1_700_000_000_000, Guid.Parse("0f0e0d0c-0b0a-4909-8807-060504030201"));

    private static readonly ResourcePolicy WithCandidates = ResourcePolicy.Default with
    {
        TiebreakerCandidates = [new TiebreakerCandidate("a", "DfltDisklessStorPool"), new TiebreakerCandidate("d", "DfltDisklessStorPool")],
    };

    private static ReplicaSpec Diskful(string node) => new(node, "pool1", false, Props.Empty);

    private static ReplicaSpec Diskless(string node) => new(node, "DfltDisklessStorPool", true, Props.Empty);

    private static CreateResourceDefinition Create(string name, ResourcePolicy policy, ImmutableList<long> sizes, params ReplicaSpec[] replicas) => new(
        name, null, "DfltRscGrp", null, Props.Empty, null, null, null,
        sizes.Select(s => new VolumeDefinitionSpec(null, s, Props.Empty, [])).ToImmutableList(),
        replicas.ToImmutableList(),
        policy);

    private static (ResourceDefinitionState State, Decision<IResourceEvent> Decision) Run(ResourceDefinitionState state, IResourceCommand command)
    {
        var decision = Resource.Decide(state, command, Ctx);
        return decision is Decision<IResourceEvent>.Accepted a ? (a.Events.Aggregate(state, Resource.Apply), decision) : (state, decision);
    }

    /// <summary>Plays the allocators: hands out the next numbers for every outstanding step.</summary>
    private static ResourceDefinitionState Allocate(ResourceDefinitionState state, int firstMinor = 1000, int firstPort = 7000)
    {
        var steps = ResourceProcess.Outstanding(state);
        var minors = steps.OfType<AllocationStep.MinorFor>().ToList();
        var ports = steps.OfType<AllocationStep.PortFor>().ToList();
        var releases = steps.OfType<AllocationStep.GiveBack>().Select(g => g.Release).ToImmutableList();
        var record = new RecordAllocations(
            state.Operation?.Id,
            minors.Select(m => m.VolumeNumber).ToImmutableList(),
            minors.Select((_, i) => firstMinor + i).ToImmutableList(),
            ports.Select(p => p.NodeKey).ToImmutableList(),
            ports.Select(_ => firstPort).ToImmutableList(),
            releases);
        var (next, decision) = Run(state, record);
        Assert.IsType<Decision<IResourceEvent>.Accepted>(decision);
        return next;
    }

    private static ResourceDefinitionState Given(IResourceCommand command, string key = "RES1")
    {
        var (state, decision) = Run(Resource.Initial(key), command);
        Assert.IsType<Decision<IResourceEvent>.Accepted>(decision);
        return Allocate(state);
    }

    private static long RejectedCode(Decision<IResourceEvent> decision) =>
        ApiConsts.CodeOf(Assert.IsType<Decision<IResourceEvent>.Rejected>(decision).Error.RetCode);

    [Fact]
    public void Create_records_an_operation_that_asks_for_one_minor_per_volume_and_one_port_per_replica()
    {
        var (state, decision) = Run(Resource.Initial("RES1"), Create("res1", ResourcePolicy.Default, [1024, 2048], Diskful("a"), Diskful("b"), Diskful("c")));

        Assert.IsType<Decision<IResourceEvent>.Accepted>(decision);
        Assert.NotNull(state.Operation);
        var steps = ResourceProcess.Outstanding(state);
        Assert.Equal(2, steps.OfType<AllocationStep.MinorFor>().Count());
        Assert.Equal(["A", "B", "C"], steps.OfType<AllocationStep.PortFor>().Select(p => p.NodeKey).Order());
        Assert.Equal([0, 1, 2], state.Replicas.Values.Select(r => r.NodeId).Order());
        Assert.All(steps.OfType<AllocationStep.MinorFor>(), m => Assert.EndsWith($"#{state.Uuid:N}", m.Request.Owner));
    }

    [Fact]
    public void The_operation_completes_once_every_number_is_recorded()
    {
        var state = Given(Create("res1", ResourcePolicy.Default, [1024], Diskful("a"), Diskful("b"), Diskful("c")));

        Assert.Null(state.Operation);
        Assert.Empty(ResourceProcess.Outstanding(state));
        Assert.Equal(1000, state.VolumeDefinitions[0].Minor);
        Assert.All(state.Replicas.Values, r => Assert.Equal(7000, r.Port));
    }

    [Fact]
    public void Three_diskful_replicas_get_quorum_majority_and_no_tiebreaker()
    {
        var state = Given(Create("res1", WithCandidates, [1024], Diskful("a"), Diskful("b"), Diskful("c")));

        Assert.Equal("majority", state.Props[QuorumPolicy.QuorumProp]);
        Assert.Equal("io-error", state.Props[QuorumPolicy.OnNoQuorumProp]);
        Assert.DoesNotContain(state.Replicas.Values, r => r.IsTieBreaker);
    }

    [Fact]
    public void Two_diskful_replicas_get_a_tiebreaker_on_the_first_free_candidate_and_quorum_majority()
    {
        var state = Given(Create("res1", WithCandidates, [1024], Diskful("a"), Diskful("b")));

        var tiebreaker = Assert.Single(state.Replicas.Values, r => r.IsTieBreaker);
        Assert.Equal("d", tiebreaker.NodeName);
        Assert.Equal(["DISKLESS", "DRBD_DISKLESS", "TIE_BREAKER"], ResourceFlags.ToNames(tiebreaker.Flags));
        Assert.Equal("majority", state.Props[QuorumPolicy.QuorumProp]);
    }

    [Fact]
    public void Without_a_candidate_the_tiebreaker_is_a_warning_and_quorum_is_off()
    {
        var (state, decision) = Run(Resource.Initial("RES1"), Create("res1", ResourcePolicy.Default, [1024], Diskful("a"), Diskful("b")));

        var accepted = Assert.IsType<Decision<IResourceEvent>.Accepted>(decision);
        Assert.Contains(accepted.Messages, m => ApiConsts.CodeOf(m.RetCode) == ApiConsts.WarnNotEnoughNodesForTieBreaker);
        Assert.Equal("off", state.Props[QuorumPolicy.QuorumProp]);
    }

    [Fact]
    public void A_third_diskful_replica_removes_the_tiebreaker_and_gives_its_port_back()
    {
        var state = Given(Create("res1", WithCandidates, [1024], Diskful("a"), Diskful("b")));

        var (next, decision) = Run(state, new AddReplicas([Diskful("c")], WithCandidates));

        Assert.IsType<Decision<IResourceEvent>.Accepted>(decision);
        Assert.DoesNotContain(next.Replicas.Values, r => r.IsTieBreaker);
        Assert.Contains(next.PendingReleases, r => r.Allocator == AllocatorAggregate.TcpPortPool("D"));
        var settled = Allocate(next);
        Assert.Empty(settled.PendingReleases);
        Assert.Null(settled.Operation);
    }

    [Fact]
    public void A_diskless_replica_requested_on_the_tiebreaker_node_takes_it_over()
    {
        var state = Given(Create("res1", WithCandidates, [1024], Diskful("a"), Diskful("b")));

        var (next, _) = Run(state, new AddReplicas([Diskless("d")], WithCandidates));

        var d = next.Replicas["D"];
        Assert.True(d.IsDiskless);
        Assert.False(d.IsTieBreaker);
        Assert.Equal(3, next.Replicas.Count);
    }

    [Fact]
    public void Deleting_a_diskful_replica_of_three_adds_a_tiebreaker_elsewhere_and_keep_tiebreaker_converts_in_place()
    {
        var state = Given(Create("res1", WithCandidates, [1024], Diskful("b"), Diskful("c"), Diskful("e")));

        var (moved, _) = Run(state, new DeleteReplica("e", KeepTiebreaker: false, WithCandidates));
        var (kept, _) = Run(state, new DeleteReplica("e", KeepTiebreaker: true, WithCandidates));

        Assert.False(moved.Replicas.ContainsKey("E"));
        Assert.True(moved.Replicas["A"].IsTieBreaker);
        Assert.True(kept.Replicas["E"].IsTieBreaker);
        Assert.False(kept.Replicas.ContainsKey("A"));
    }

    [Fact]
    public void More_replicas_than_peer_slots_allow_are_refused()
    {
        var nodes = Enumerable.Range(0, 9).Select(i => Diskful($"n{i}")).ToArray();

        var (_, decision) = Run(Resource.Initial("RES1"), Create("res1", ResourcePolicy.Default, [1024], nodes));

        Assert.Equal(ApiConsts.FailInsufficientPeerSlots, RejectedCode(decision));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-5L)]
    public void Volumes_need_a_positive_size(long size)
    {
        var (_, decision) = Run(Resource.Initial("RES1"), Create("res1", ResourcePolicy.Default, [size]));

        Assert.Equal(ApiConsts.FailInvldVlmSize, RejectedCode(decision));
    }

    [Fact]
    public void A_volume_with_replicas_grows_but_never_shrinks()
    {
        var state = Given(Create("res1", ResourcePolicy.Default, [2048], Diskful("a")));

        var (grown, grow) = Run(state, new ModifyVolumeDefinition(0, 4096, PropsChange.None, []));
        var (_, shrink) = Run(state, new ModifyVolumeDefinition(0, 1024, PropsChange.None, []));

        Assert.IsType<Decision<IResourceEvent>.Accepted>(grow);
        Assert.Equal(4096, grown.VolumeDefinitions[0].SizeKiB);
        Assert.Equal(ApiConsts.FailInvldVlmSize, RejectedCode(shrink));
    }

    [Fact]
    public void Commands_wait_for_a_running_operation()
    {
        var (state, _) = Run(Resource.Initial("RES1"), Create("res1", ResourcePolicy.Default, [1024], Diskful("a")));

        var (_, decision) = Run(state, new AddReplicas([Diskful("b")], ResourcePolicy.Default));

        Assert.Equal(ApiConsts.FailRscBusy, RejectedCode(decision));
    }

    [Fact]
    public void A_failed_spawn_removes_the_definition_and_releases_every_owner_it_may_hold()
    {
        var (state, _) = Run(Resource.Initial("RES1"), Create("res1", ResourcePolicy.Default, [1024, 2048], Diskful("a"), Diskful("b")));
        var error = ApiCallRc.Error(ApiConsts.MaskRscDfn, ApiConsts.MaskCrt, ApiConsts.FailPoolExhaustedTcpPort, "No free TCP port", "range full", "widen");

        var (failed, decision) = Run(state, new FailOperation(state.Operation!.Id, error));

        Assert.IsType<Decision<IResourceEvent>.Accepted>(decision);
        Assert.False(failed.Exists);
        Assert.Null(failed.Operation);
        Assert.Equal(4, failed.PendingReleases.Count);
        Assert.Contains(failed.PendingReleases, r => r.Owner == state.MinorOwner(1));
        Assert.Contains(failed.PendingReleases, r => r.Allocator == AllocatorAggregate.TcpPortPool("B"));
    }

    [Fact]
    public void A_failed_replica_addition_removes_only_the_added_replicas()
    {
        var state = Given(Create("res1", ResourcePolicy.Default, [1024], Diskful("a"), Diskful("b"), Diskful("c")));
        var (adding, _) = Run(state, new AddReplicas([Diskful("d")], ResourcePolicy.Default));
        var error = ApiCallRc.Error(0, 0, ApiConsts.FailPoolExhaustedTcpPort, "No free TCP port", "range full", "widen");

        var (failed, _) = Run(adding, new FailOperation(adding.Operation!.Id, error));

        Assert.True(failed.Exists);
        Assert.Equal(["A", "B", "C"], failed.Replicas.Keys);
        Assert.Single(failed.PendingReleases, r => r.Allocator == AllocatorAggregate.TcpPortPool("D"));
        Assert.Equal("majority", failed.Props[QuorumPolicy.QuorumProp]);
    }

    [Fact]
    public void Recording_twice_changes_nothing_the_second_time()
    {
        var (state, _) = Run(Resource.Initial("RES1"), Create("res1", ResourcePolicy.Default, [1024], Diskful("a")));
        var record = new RecordAllocations(state.Operation!.Id, [0], [1005], ["A"], [7003], []);

        var (once, _) = Run(state, record);
        var (_, twice) = Run(once, record);

        Assert.Empty(Assert.IsType<Decision<IResourceEvent>.Accepted>(twice).Events);
        Assert.Equal(1005, once.VolumeDefinitions[0].Minor);
    }

    [Fact]
    public void A_user_quorum_setting_on_the_definition_is_left_alone()
    {
        var state = Given(Create("res1", ResourcePolicy.Default, [1024], Diskful("a")));
        var userQuorum = PropsChange.Of(new Dictionary<string, string> { [QuorumPolicy.QuorumProp] = "2" });

        var (modified, _) = Run(state, new ModifyResourceDefinition(userQuorum, null, null, null, ResourcePolicy.Default));
        var (added, _) = Run(modified, new AddReplicas([Diskful("b"), Diskful("c")], ResourcePolicy.Default));

        Assert.Equal("2", added.Props[QuorumPolicy.QuorumProp]);
        Assert.False(added.Props.ContainsKey(QuorumPolicy.QuorumSetByProp));
    }

    [Fact]
    public void Deleting_a_definition_queues_every_number_for_release()
    {
        var state = Given(Create("res1", ResourcePolicy.Default, [1024], Diskful("a"), Diskful("b"), Diskful("c")));

        var (deleted, _) = Run(state, new DeleteResourceDefinition());

        Assert.False(deleted.Exists);
        Assert.Equal(4, deleted.PendingReleases.Count);
        Assert.Empty(Allocate(deleted).PendingReleases);
    }

    [Fact]
    public void Invalid_names_and_duplicate_definitions_are_refused()
    {
        var state = Given(Create("res1", ResourcePolicy.Default, [1024]));

        Assert.Equal(ApiConsts.FailExistsRscDfn, RejectedCode(Run(state, Create("RES1", ResourcePolicy.Default, [1024])).Decision));
        Assert.Equal(ApiConsts.FailInvldRscName, RejectedCode(Run(Resource.Initial("1X"), Create("1x", ResourcePolicy.Default, [1024])).Decision));
    }
}
