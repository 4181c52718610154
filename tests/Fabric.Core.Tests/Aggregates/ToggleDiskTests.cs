using System.Collections.Immutable;
using Fabric.Core.Aggregates;
using Fabric.Core.Aggregates.Allocators;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Aggregates.Resources;
using Fabric.Core.Api;
using Fabric.Core.Properties;
using Fabric.Core.Quorum;

namespace Fabric.Core.Tests.Aggregates;

/// <summary>Toggle-disk as a pure decision: refusals, flags and pool, and what auto-quorum and the auto-tiebreaker make of it.</summary>
public sealed class ToggleDiskTests
{
    private static readonly ResourceAggregate Resource = ResourceAggregate.Instance;
    private static readonly DecideContext Ctx = new(1_700_000_000_000, Guid.Parse("0f0e0d0c-0b0a-4909-8807-060504030201"));
    private const string Diskless = "DfltDisklessStorPool";

    private static readonly ResourcePolicy WithCandidates = ResourcePolicy.Default with
    {
        TiebreakerCandidates = [new TiebreakerCandidate("a", Diskless), new TiebreakerCandidate("d", Diskless)],
    };

    private static readonly ImmutableList<string> AllOnline = ["A", "B", "C", "D", "E"];

    private static ReplicaSpec DiskfulOn(string node) => new(node, "pool1", false, Props.Empty);

    private static ReplicaSpec DisklessOn(string node) => new(node, Diskless, true, Props.Empty);

    private static ToggleDisk IntoDiskless(string node, ImmutableList<string>? online = null, string pool = Diskless, ProviderKind? kind = ProviderKind.Diskless) =>
        new(node, false, pool, kind, online ?? AllOnline, WithCandidates);

    private static ToggleDisk IntoDiskful(string node, string pool = "pool1", ProviderKind? kind = ProviderKind.LvmThin) =>
        new(node, true, pool, kind, AllOnline, WithCandidates);

    private static ResourceDefinitionState Given(ResourcePolicy policy, IReadOnlyList<string>? stack, params ReplicaSpec[] replicas)
    {
        var create = new CreateResourceDefinition(
            "res1", null, "DfltRscGrp", stack?.ToImmutableList(), Props.Empty, null, null, null,
            [new VolumeDefinitionSpec(null, 1024, Props.Empty, [])], replicas.ToImmutableList(), policy);
        var (state, decision) = Run(Resource.Initial("RES1"), create);
        Assert.IsType<Decision<IResourceEvent>.Accepted>(decision);
        return Allocate(state);
    }

    private static ResourceDefinitionState Given(params ReplicaSpec[] replicas) => Given(WithCandidates, null, replicas);

    private static (ResourceDefinitionState State, Decision<IResourceEvent> Decision) Run(ResourceDefinitionState state, IResourceCommand command)
    {
        var decision = Resource.Decide(state, command, Ctx);
        return decision is Decision<IResourceEvent>.Accepted a ? (a.Events.Aggregate(state, Resource.Apply), decision) : (state, decision);
    }

    /// <summary>Plays the allocators: the next numbers for every outstanding step.</summary>
    private static ResourceDefinitionState Allocate(ResourceDefinitionState state)
    {
        var steps = ResourceProcess.Outstanding(state);
        var minors = steps.OfType<AllocationStep.MinorFor>().ToList();
        var ports = steps.OfType<AllocationStep.PortFor>().ToList();
        var record = new RecordAllocations(
            state.Operation?.Id,
            minors.Select(m => m.VolumeNumber).ToImmutableList(),
            minors.Select((_, i) => 1000 + i).ToImmutableList(),
            ports.Select(p => p.NodeKey).ToImmutableList(),
            ports.Select((_, i) => 7000 + i).ToImmutableList(),
            steps.OfType<AllocationStep.GiveBack>().Select(g => g.Release).ToImmutableList());
        var (next, decision) = Run(state, record);
        Assert.IsType<Decision<IResourceEvent>.Accepted>(decision);
        return next;
    }

    private static ApiCallRc Refusal(ResourceDefinitionState state, IResourceCommand command)
    {
        var decision = Resource.Decide(state, command, Ctx);
        return Assert.IsType<Decision<IResourceEvent>.Rejected>(decision).Error;
    }

    private static ApiCallRc NoChangeWarning(ResourceDefinitionState state, IResourceCommand command)
    {
        var accepted = Assert.IsType<Decision<IResourceEvent>.Accepted>(Resource.Decide(state, command, Ctx));
        Assert.Empty(accepted.Events);
        return Assert.Single(accepted.Messages);
    }

    [Fact]
    public void A_replica_that_does_not_exist_is_refused_as_not_found()
    {
        var state = Given(DiskfulOn("b"), DiskfulOn("c"));

        var error = Refusal(state, IntoDiskless("x"));

        Assert.Equal(ApiConsts.FailNotFoundRsc, ApiConsts.CodeOf(error.RetCode));
        Assert.Equal(ApiConsts.MaskMod, error.RetCode & ApiConsts.MaskBitsOp);
    }

    [Fact]
    public void A_replica_already_in_the_requested_state_gets_LINSTORs_warning_and_nothing_changes()
    {
        var state = Given(DiskfulOn("b"), DiskfulOn("c"), DisklessOn("e"));

        var hasDisk = NoChangeWarning(state, IntoDiskful("b"));
        var alreadyDiskless = NoChangeWarning(state, IntoDiskless("e"));

        Assert.True(ApiConsts.IsWarning(hasDisk.RetCode));
        Assert.Equal(ApiConsts.WarnRscAlreadyHasDisk, ApiConsts.CodeOf(hasDisk.RetCode));
        Assert.Equal(ApiConsts.WarnRscAlreadyDiskless, ApiConsts.CodeOf(alreadyDiskless.RetCode));
        Assert.Equal("e", alreadyDiskless.ObjRefs!["Node"]);
    }

    [Fact]
    public void Into_diskless_is_refused_without_DRBD_in_the_layer_stack()
    {
        var state = Given(WithCandidates, ["STORAGE"], DiskfulOn("b"), DiskfulOn("c"));

        var error = Refusal(state, IntoDiskless("b"));

        Assert.Equal(ApiConsts.FailInvldLayerStack, ApiConsts.CodeOf(error.RetCode));
        Assert.Contains("DRBD", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_last_diskful_replica_keeps_its_disk()
    {
        var state = Given(DiskfulOn("b"), DisklessOn("e"));

        var error = Refusal(state, IntoDiskless("b"));

        Assert.Equal(ApiConsts.FailInsufficientReplicaCount, ApiConsts.CodeOf(error.RetCode));
        Assert.Contains("only replica", error.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public void A_replica_keeps_its_disk_when_the_other_diskful_replicas_are_offline()
    {
        var state = Given(DiskfulOn("b"), DiskfulOn("c"));

        var error = Refusal(state, IntoDiskless("b", online: ["A", "B", "D"]));
        var accepted = Resource.Decide(state, IntoDiskless("c", online: ["B", "C"]), Ctx);

        Assert.Equal(ApiConsts.FailInsufficientReplicaCount, ApiConsts.CodeOf(error.RetCode));
        Assert.Contains("'c'", error.Cause, StringComparison.Ordinal);
        Assert.IsType<Decision<IResourceEvent>.Accepted>(accepted);
    }

    [Theory]
    [InlineData(null, ApiConsts.FailNotFoundStorPool)]
    [InlineData(ProviderKind.LvmThin, ApiConsts.FailInvldStorPoolName)]
    public void Into_diskless_needs_a_DISKLESS_pool_on_the_node(ProviderKind? kind, long code)
    {
        var state = Given(DiskfulOn("b"), DiskfulOn("c"));

        var error = Refusal(state, IntoDiskless("b", pool: "thin", kind: kind));

        Assert.Equal(code, ApiConsts.CodeOf(error.RetCode));
        Assert.Contains("'thin'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, ApiConsts.FailNotFoundStorPool)]
    [InlineData(ProviderKind.Diskless, ApiConsts.FailInvldStorPoolName)]
    public void Into_diskful_needs_a_pool_with_storage_on_the_node(ProviderKind? kind, long code)
    {
        var state = Given(DiskfulOn("b"), DisklessOn("e"));

        var error = Refusal(state, IntoDiskful("e", pool: "other", kind: kind));

        Assert.Equal(code, ApiConsts.CodeOf(error.RetCode));
        Assert.True(error.IsError);
    }

    [Fact]
    public void Into_diskless_sets_DISKLESS_and_DRBD_DISKLESS_and_the_pool_and_drops_the_superfluous_tiebreaker()
    {
        var state = Given(DiskfulOn("b"), DiskfulOn("c"));
        Assert.True(state.Replicas["A"].IsTieBreaker);
        Assert.Equal("majority", state.Props[QuorumPolicy.QuorumProp]);

        var (after, decision) = Run(state, IntoDiskless("b"));

        var accepted = Assert.IsType<Decision<IResourceEvent>.Accepted>(decision);
        var toggled = after.Replicas["B"];
        Assert.Equal(["DISKLESS", "DRBD_DISKLESS"], ResourceFlags.ToNames(toggled.Flags));
        Assert.Equal(Diskless, toggled.StoragePool);
        Assert.Equal(Diskless, toggled.Props[ResourceAggregate.StorPoolNameProp]);
        Assert.Equal(state.Replicas["B"].NodeId, toggled.NodeId);
        Assert.Equal(state.Replicas["B"].Port, toggled.Port);
        // One diskful replica left: no tiebreaker, no quorum.
        Assert.False(after.Replicas.ContainsKey("A"));
        Assert.Contains(after.PendingReleases, r => r.Allocator == AllocatorAggregate.TcpPortPool("A"));
        Assert.Contains(accepted.Messages, m => ApiConsts.CodeOf(m.RetCode) == ApiConsts.InfoTieBreakerDeleting);
        Assert.Equal("off", after.Props[QuorumPolicy.QuorumProp]);
        Assert.Null(after.Operation);
    }

    [Fact]
    public void Into_diskless_of_one_of_three_keeps_quorum_with_two_diskful_and_one_diskless_and_adds_no_tiebreaker()
    {
        var state = Given(DiskfulOn("b"), DiskfulOn("c"), DiskfulOn("e"));

        var (after, _) = Run(state, IntoDiskless("e"));

        Assert.DoesNotContain(after.Replicas.Values, r => r.IsTieBreaker);
        Assert.Equal(3, after.Replicas.Count);
        Assert.Equal("majority", after.Props[QuorumPolicy.QuorumProp]);
    }

    [Fact]
    public void Into_diskful_clears_the_diskless_flags_and_a_second_disk_calls_for_a_tiebreaker()
    {
        var state = Given(DiskfulOn("b"), DisklessOn("e"));
        Assert.Equal("off", state.Props[QuorumPolicy.QuorumProp]);

        var (after, decision) = Run(state, IntoDiskful("e", pool: "thin"));

        var accepted = Assert.IsType<Decision<IResourceEvent>.Accepted>(decision);
        Assert.Equal(0, after.Replicas["E"].Flags);
        Assert.Equal("thin", after.Replicas["E"].StoragePool);
        Assert.Equal("thin", after.Replicas["E"].Props[ResourceAggregate.StorPoolNameProp]);
        var tiebreaker = Assert.Single(after.Replicas.Values, r => r.IsTieBreaker);
        Assert.Equal("a", tiebreaker.NodeName);
        Assert.Contains(accepted.Messages, m => ApiConsts.CodeOf(m.RetCode) == ApiConsts.InfoTieBreakerCreated);
        Assert.Equal("majority", after.Props[QuorumPolicy.QuorumProp]);
        // The tiebreaker needs a port: the change waits for the allocator as an operation.
        Assert.NotNull(after.Operation);
        Assert.Contains(ResourceProcess.Outstanding(after), s => s is AllocationStep.PortFor { NodeKey: "A" });
        Assert.Null(Allocate(after).Operation);
    }

    [Fact]
    public void A_tiebreaker_toggled_into_diskful_is_no_longer_a_tiebreaker_and_none_replaces_it()
    {
        var state = Given(DiskfulOn("b"), DiskfulOn("c"));

        var (after, _) = Run(state, IntoDiskful("a"));

        var former = after.Replicas["A"];
        Assert.False(former.IsTieBreaker);
        Assert.False(former.IsDiskless);
        Assert.Empty(ResourceFlags.ToNames(former.Flags));
        Assert.Equal("pool1", former.StoragePool);
        Assert.DoesNotContain(after.Replicas.Values, r => r.IsTieBreaker);
        Assert.Equal("majority", after.Props[QuorumPolicy.QuorumProp]);
        Assert.Null(after.Operation);
    }

    [Fact]
    public void Toggling_there_and_back_restores_the_replica_set()
    {
        var state = Given(DiskfulOn("b"), DiskfulOn("c"), DiskfulOn("e"));

        var (diskless, _) = Run(state, IntoDiskless("c"));
        var (back, _) = Run(diskless, IntoDiskful("c"));

        Assert.Equal(state.Replicas.Keys, back.Replicas.Keys);
        Assert.Equal(state.Replicas["C"].Flags, back.Replicas["C"].Flags);
        Assert.Equal(state.Replicas["C"].StoragePool, back.Replicas["C"].StoragePool);
        Assert.Equal(state.Props[QuorumPolicy.QuorumProp], back.Props[QuorumPolicy.QuorumProp]);
    }
}
