using System.Collections.Immutable;
using Fabric.Core.Aggregates;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Api;
using Fabric.Core.Properties;

namespace Fabric.Core.Tests.Aggregates;

/// <summary>The node decider as pure functions: no actors, no journal.</summary>
public sealed class NodeAggregateTests
{
    private static readonly NodeAggregate Node = NodeAggregate.Instance;
    private static readonly DecideContext Ctx = new(1_700_000_000_000, Guid.Parse("0f0e0d0c-0b0a-4909-8807-060504030201"));

    private static ImmutableSortedDictionary<string, string> Backing(string value) =>
        ImmutableSortedDictionary<string, string>.Empty.Add(ProviderKinds.BackingStoreProp, value);

    private static CreateNode Create(string name = "alpha", string? type = "satellite", params NetInterfaceSpec[] netIfs) =>
        new(name, type, Props.Empty, netIfs.ToImmutableList());

    /// <summary>Decides and, when accepted, folds the events in, as the entity does.</summary>
    private static (NodeState State, Decision<INodeEvent> Decision) Run(NodeState state, INodeCommand command)
    {
        var decision = Node.Decide(state, command, Ctx);
        if (decision is Decision<INodeEvent>.Accepted accepted)
        {
            state = accepted.Events.Aggregate(state, Node.Apply);
        }
        return (state, decision);
    }

    private static NodeState Given(params INodeCommand[] commands) =>
        commands.Aggregate(Node.Initial("ALPHA"), (s, c) =>
        {
            var (next, decision) = Run(s, c);
            Assert.IsType<Decision<INodeEvent>.Accepted>(decision);
            return next;
        });

    private static long RejectedCode(Decision<INodeEvent> decision)
    {
        var rejected = Assert.IsType<Decision<INodeEvent>.Rejected>(decision);
        Assert.True(rejected.Error.IsError);
        Assert.NotNull(rejected.Error.Cause);
        Assert.NotNull(rejected.Error.Correction);
        return ApiConsts.CodeOf(rejected.Error.RetCode);
    }

    [Fact]
    public void Create_records_the_node_its_net_interfaces_and_the_default_diskless_pool()
    {
        var decision = Node.Decide(Node.Initial("ALPHA"), Create("Alpha", "Satellite", new NetInterfaceSpec("default", "10.0.0.1", 3366, "plain", true)), Ctx);
        var accepted = Assert.IsType<Decision<INodeEvent>.Accepted>(decision);
        Assert.Collection(
            accepted.Events,
            e => Assert.Equal(new NodeCreated("Alpha", NodeType.Satellite, Ctx.NewUuid, Ctx.NowMs, Props.Empty), Assert.IsType<NodeCreated>(e) with { Props = Props.Empty }),
            e => Assert.Equal("PLAIN", Assert.IsType<NetInterfaceCreated>(e).NetInterface.EncryptionType),
            e => Assert.Equal(ProviderKind.Diskless, Assert.IsType<StoragePoolCreated>(e).Pool.Kind));
        Assert.Equal(ApiConsts.MaskNode | ApiConsts.MaskCrt | ApiConsts.Created, Assert.Single(accepted.Messages).RetCode);

        var uuids = accepted.Events.Select(e => e switch
        {
            NodeCreated c => c.Uuid,
            NetInterfaceCreated n => n.NetInterface.Uuid,
            StoragePoolCreated p => p.Pool.Uuid,
            _ => Guid.Empty,
        }).ToList();
        Assert.Equal(uuids.Count, uuids.Distinct().Count());
    }

    [Fact]
    public void Controller_and_auxiliary_nodes_get_no_diskless_pool()
    {
        var accepted = Assert.IsType<Decision<INodeEvent>.Accepted>(Node.Decide(Node.Initial("ALPHA"), Create(type: "auxiliary"), Ctx));
        Assert.DoesNotContain(accepted.Events, e => e is StoragePoolCreated);
    }

    [Theory]
    [InlineData("a_b", "satellite", ApiConsts.FailInvldNodeName)]
    [InlineData("alpha", "storagebox", ApiConsts.FailInvldNodeType)]
    [InlineData("alpha", null, ApiConsts.FailInvldNodeType)]
    public void Invalid_creates_are_rejected(string name, string? type, long code) =>
        Assert.Equal(code, RejectedCode(Node.Decide(Node.Initial("ALPHA"), Create(name, type), Ctx)));

    [Fact]
    public void Duplicate_net_interface_names_in_one_create_are_rejected() =>
        Assert.Equal(ApiConsts.FailExistsNetIf, RejectedCode(Node.Decide(Node.Initial("ALPHA"),
            Create("alpha", "satellite", new NetInterfaceSpec("eth", "10.0.0.1", null, null, null), new NetInterfaceSpec("ETH", "10.0.0.2", null, null, null)), Ctx)));

    [Fact]
    public void Second_create_is_rejected_whatever_the_case()
    {
        var state = Given(Create());
        Assert.Equal(ApiConsts.FailExistsNode, RejectedCode(Node.Decide(state, Create("ALPHA"), Ctx)));
    }

    [Fact]
    public void Commands_on_a_missing_node_are_not_found()
    {
        Assert.Equal(ApiConsts.FailNotFoundNode, RejectedCode(Node.Decide(Node.Initial("ALPHA"), new DeleteNode(), Ctx)));
        Assert.Equal(ApiConsts.FailNotFoundNode, RejectedCode(Node.Decide(Node.Initial("ALPHA"), new CreateStoragePool("pool", "FILE", Backing("/x"), null, false), Ctx)));
    }

    [Fact]
    public void Delete_is_refused_while_pools_exist_and_lost_removes_everything()
    {
        var state = Given(Create(), new CreateStoragePool("pool1", "file_thin", Backing("/srv"), null, false));
        Assert.Equal(ApiConsts.FailInUse, RejectedCode(Node.Decide(state, new DeleteNode(), Ctx)));

        var (lost, _) = Run(state, new LoseNode());
        Assert.False(lost.Exists);
        Assert.Empty(lost.StoragePools);

        var (afterPoolDelete, _) = Run(state, new DeleteStoragePool("POOL1"));
        var (deleted, decision) = Run(afterPoolDelete, new DeleteNode());
        Assert.IsType<Decision<INodeEvent>.Accepted>(decision);
        Assert.False(deleted.Exists);
        Assert.IsType<Decision<INodeEvent>.Accepted>(Node.Decide(deleted, Create(), Ctx));
    }

    [Theory]
    [InlineData("TAPE", "/x", ApiConsts.FailInvldStorDriver)]
    [InlineData("SPDK", "/x", ApiConsts.FailInvldStorDriver)]
    [InlineData(null, "/x", ApiConsts.FailInvldStorDriver)]
    [InlineData("LVM", "", ApiConsts.FailMissingProps)]
    public void Invalid_pools_are_rejected(string? kind, string backing, long code)
    {
        var state = Given(Create());
        Assert.Equal(code, RejectedCode(Node.Decide(state, new CreateStoragePool("pool1", kind, Backing(backing), null, false), Ctx)));
    }

    [Fact]
    public void Pools_are_unique_per_node_and_not_allowed_on_auxiliary_nodes()
    {
        var state = Given(Create(), new CreateStoragePool("pool1", "LVM", Backing("vg0"), null, false));
        Assert.Equal(ApiConsts.FailExistsStorPool, RejectedCode(Node.Decide(state, new CreateStoragePool("POOL1", "ZFS", Backing("tank"), null, false), Ctx)));
        var aux = Given(Create(type: "auxiliary"));
        Assert.Equal(ApiConsts.FailInvldStorDriver, RejectedCode(Node.Decide(aux, new CreateStoragePool("pool1", "LVM", Backing("vg0"), null, false), Ctx)));
        Assert.Equal(ApiConsts.FailInUse, RejectedCode(Node.Decide(state, new ModifyNode("auxiliary", PropsChange.None), Ctx)));
    }

    [Fact]
    public void Modify_changes_type_and_props_and_a_noop_persists_nothing()
    {
        var state = Given(Create());
        var change = PropsChange.Of(new Dictionary<string, string> { ["Aux/a"] = "1" });
        var (modified, _) = Run(state, new ModifyNode("COMBINED", change));
        Assert.Equal(NodeType.Combined, modified.Type);
        Assert.Equal("1", modified.Props["Aux/a"]);

        var again = Assert.IsType<Decision<INodeEvent>.Accepted>(Node.Decide(modified, new ModifyNode("combined", change), Ctx));
        Assert.Empty(again.Events);
        Assert.Equal(ApiConsts.FailInvldPropKey, RejectedCode(Node.Decide(modified, new ModifyNode(null, PropsChange.Of(new Dictionary<string, string> { ["a//b"] = "1" })), Ctx)));
    }

    [Fact]
    public void Net_interfaces_are_validated_merged_and_deleted()
    {
        var state = Given(Create(), new CreateNetInterface(new NetInterfaceSpec("repl", "fd00::1", null, null, null)));
        Assert.Equal(ApiConsts.FailInvldNetAddr, RejectedCode(Node.Decide(state, new CreateNetInterface(new NetInterfaceSpec("other", "not-an-ip", null, null, null)), Ctx)));
        Assert.Equal(ApiConsts.FailInvldNetType, RejectedCode(Node.Decide(state, new ModifyNetInterface("repl", new NetInterfaceSpec(null, null, null, "tls", null)), Ctx)));

        var (modified, _) = Run(state, new ModifyNetInterface("REPL", new NetInterfaceSpec(null, null, 7000, null, null)));
        Assert.Equal("fd00::1", modified.NetInterfaces["REPL"].Address);
        Assert.Equal(7000, modified.NetInterfaces["REPL"].SatellitePort);

        var (deleted, _) = Run(modified, new DeleteNetInterface("repl"));
        Assert.False(deleted.NetInterfaces.ContainsKey("REPL"));
        Assert.Equal(ApiConsts.FailNotFoundNetIf, RejectedCode(Node.Decide(deleted, new DeleteNetInterface("repl"), Ctx)));
    }

    [Fact]
    public void Decide_is_pure_the_same_input_gives_the_same_decision()
    {
        var state = Given(Create());
        var command = new CreateStoragePool("pool1", "FILE", Backing("/x"), null, false);
        var first = Assert.IsType<StoragePoolCreated>(Assert.Single(((Decision<INodeEvent>.Accepted)Node.Decide(state, command, Ctx)).Events)).Pool;
        var second = Assert.IsType<StoragePoolCreated>(Assert.Single(((Decision<INodeEvent>.Accepted)Node.Decide(state, command, Ctx)).Events)).Pool;
        Assert.Equal(first with { Props = Props.Empty }, second with { Props = Props.Empty });
        Assert.Equal(first.Props, second.Props);
        Assert.Equal(Ctx.NewUuid, first.Uuid);
    }
}
