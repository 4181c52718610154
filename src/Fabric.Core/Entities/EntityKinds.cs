using Akka.Actor;
using Akka.Cluster.Sharding;
using Fabric.Core.Aggregates;
using Fabric.Core.Aggregates.Allocators;
using Fabric.Core.Aggregates.Controller;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Aggregates.ResourceGroups;
using Fabric.Core.Aggregates.Resources;
using Fabric.Core.Aggregates.StoragePoolDefinitions;

namespace Fabric.Core.Entities;

/// <summary>Routes envelopes to shards by entity key.</summary>
public sealed class EnvelopeExtractor(int maxShards) : HashCodeMessageExtractor(maxShards)
{
    public override string? EntityId(object message) => message is EntityEnvelope e ? e.EntityId : null;

    public override object? EntityMessage(object message) => message is EntityEnvelope e ? e.Command : message;
}

/// <summary>One sharded entity kind: how to name it and how to create an instance.</summary>
public sealed record EntityKind(string Name, Func<string, int, Props> PropsFor)
{
    public static EntityKind Of<TState, TCommand, TEvent>(IAggregate<TState, TCommand, TEvent> aggregate)
        where TState : class
        where TCommand : class
        where TEvent : class =>
        new(aggregate.Kind, (entityId, snapshotEvery) => AggregateEntity<TState, TCommand, TEvent>.PropsFor(aggregate, entityId, snapshotEvery));

    public static readonly EntityKind Node = Of(NodeAggregate.Instance);
    public static readonly EntityKind Controller = Of(ControllerAggregate.Instance);
    public static readonly EntityKind StoragePoolDefinition = Of(StoragePoolDefinitionAggregate.Instance);

    public static readonly EntityKind ResourceGroup = Of(ResourceGroupAggregate.Instance);
    public static readonly EntityKind Allocator = Of(AllocatorAggregate.Instance);

    /// <summary>Resources run their own shell: it drives allocation operations to the end.</summary>
    public static readonly EntityKind Resource = new(ResourceAggregate.Instance.Kind, ResourceEntity.PropsFor);

    public static readonly IReadOnlyList<EntityKind> All = [Node, Controller, StoragePoolDefinition, ResourceGroup, Allocator, Resource];
}
