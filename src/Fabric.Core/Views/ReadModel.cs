using System.Collections.Immutable;
using Fabric.Core.Aggregates.Allocators;
using Fabric.Core.Aggregates.Controller;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Aggregates.ResourceGroups;
using Fabric.Core.Aggregates.Resources;
using Fabric.Core.Aggregates.StoragePoolDefinitions;
using Fabric.Core.Entities;
using Fabric.Core.Serialization;

namespace Fabric.Core.Views;

/// <summary>An entity's state as of a journal sequence number.</summary>
public sealed record Versioned<T>(long Version, T State);

/// <summary>
/// Everything REST lists read: every entity's latest state, folded from the journal with the
/// aggregates' own Apply. Immutable; each change returns a new model. Deleted entities stay as
/// tombstones (Exists = false) so a late, older update can never resurrect them.
/// </summary>
[Durable("read-model.v1")]
public sealed record ReadModel(
    long Offset,
    ImmutableSortedDictionary<string, Versioned<NodeState>> Nodes,
    Versioned<ControllerState> Controller,
    ImmutableSortedDictionary<string, Versioned<StoragePoolDefinitionState>> PoolDefinitions,
    ImmutableSortedDictionary<string, Versioned<ResourceGroupState>> ResourceGroups,
    ImmutableSortedDictionary<string, Versioned<ResourceDefinitionState>> Resources,
    ImmutableSortedDictionary<string, Versioned<AllocatorState>> Allocators) : IDurable
{
    public static readonly ReadModel Empty = new(
        0,
        ImmutableSortedDictionary<string, Versioned<NodeState>>.Empty.WithComparers(StringComparer.Ordinal),
        new Versioned<ControllerState>(0, ControllerAggregate.Instance.Initial(ControllerAggregate.EntityKey)),
        ImmutableSortedDictionary<string, Versioned<StoragePoolDefinitionState>>.Empty.WithComparers(StringComparer.Ordinal),
        ImmutableSortedDictionary<string, Versioned<ResourceGroupState>>.Empty.WithComparers(StringComparer.Ordinal),
        ImmutableSortedDictionary<string, Versioned<ResourceDefinitionState>>.Empty.WithComparers(StringComparer.Ordinal),
        ImmutableSortedDictionary<string, Versioned<AllocatorState>>.Empty.WithComparers(StringComparer.Ordinal));

    public IEnumerable<NodeState> ExistingNodes => Nodes.Values.Select(v => v.State).Where(n => n.Exists);

    public NodeState? Node(string key) => Nodes.TryGetValue(key, out var v) && v.State.Exists ? v.State : null;

    /// <summary>Existing resource groups, the implicit default group included.</summary>
    public IEnumerable<ResourceGroupState> ExistingResourceGroups
    {
        get
        {
            var defaultGroup = ResourceGroup(ResourceGroupState.DefaultKey)!;
            var others = ResourceGroups.Values.Select(v => v.State).Where(g => g.Exists && g.Key != ResourceGroupState.DefaultKey);
            return others.Append(defaultGroup).OrderBy(g => g.Key, StringComparer.Ordinal);
        }
    }

    public ResourceGroupState? ResourceGroup(string key)
    {
        var state = ResourceGroups.TryGetValue(key, out var v) ? v.State : ResourceGroupAggregate.Instance.Initial(key);
        return state.Exists ? state : null;
    }

    public IEnumerable<ResourceDefinitionState> ExistingResources => Resources.Values.Select(v => v.State).Where(r => r.Exists);

    public ResourceDefinitionState? Resource(string key) => Resources.TryGetValue(key, out var v) && v.State.Exists ? v.State : null;

    /// <summary>Folds one journal event in. Events at or below the known version are skipped.</summary>
    public ReadModel ApplyEvent(string persistenceId, long sequenceNr, object @event)
    {
        var (kind, key) = PersistenceIds.Parse(persistenceId);
        return (kind, @event) switch
        {
            ("node", INodeEvent e) => this with { Nodes = Fold(Nodes, key, sequenceNr, s => NodeAggregate.Instance.Apply(s, e), NodeAggregate.Instance.Initial) },
            ("controller", IControllerEvent e) when sequenceNr > Controller.Version =>
                this with { Controller = new(sequenceNr, ControllerAggregate.Instance.Apply(Controller.State, e)) },
            ("controller", IControllerEvent) => this,
            ("storage-pool-definition", IStoragePoolDefinitionEvent e) => this with
            {
                PoolDefinitions = Fold(PoolDefinitions, key, sequenceNr, s => StoragePoolDefinitionAggregate.Instance.Apply(s, e), StoragePoolDefinitionAggregate.Instance.Initial),
            },
            ("resource-group", IResourceGroupEvent e) => this with
            {
                ResourceGroups = Fold(ResourceGroups, key, sequenceNr, s => ResourceGroupAggregate.Instance.Apply(s, e), ResourceGroupAggregate.Instance.Initial),
            },
            ("resource", IResourceEvent e) => this with
            {
                Resources = Fold(Resources, key, sequenceNr, s => ResourceAggregate.Instance.Apply(s, e), ResourceAggregate.Instance.Initial),
            },
            ("allocator", IAllocatorEvent e) => this with
            {
                Allocators = Fold(Allocators, key, sequenceNr, s => AllocatorAggregate.Instance.Apply(s, e), AllocatorAggregate.Instance.Initial),
            },
            _ => this,
        };
    }

    /// <summary>Replaces an entity's state with a newer one the entity itself reported.</summary>
    public ReadModel Upsert(string persistenceId, long sequenceNr, object state)
    {
        var (_, key) = PersistenceIds.Parse(persistenceId);
        return state switch
        {
            NodeState s => this with { Nodes = Put(Nodes, key, sequenceNr, s) },
            ControllerState s when sequenceNr > Controller.Version => this with { Controller = new(sequenceNr, s) },
            StoragePoolDefinitionState s => this with { PoolDefinitions = Put(PoolDefinitions, key, sequenceNr, s) },
            ResourceGroupState s => this with { ResourceGroups = Put(ResourceGroups, key, sequenceNr, s) },
            ResourceDefinitionState s => this with { Resources = Put(Resources, key, sequenceNr, s) },
            _ => this,
        };
    }

    public ReadModel AtOffset(long offset) => offset > Offset ? this with { Offset = offset } : this;

    private static ImmutableSortedDictionary<string, Versioned<T>> Fold<T>(
        ImmutableSortedDictionary<string, Versioned<T>> map, string key, long sequenceNr, Func<T, T> apply, Func<string, T> initial)
    {
        var current = map.TryGetValue(key, out var v) ? v : new Versioned<T>(0, initial(key));
        return sequenceNr <= current.Version ? map : map.SetItem(key, new Versioned<T>(sequenceNr, apply(current.State)));
    }

    private static ImmutableSortedDictionary<string, Versioned<T>> Put<T>(
        ImmutableSortedDictionary<string, Versioned<T>> map, string key, long sequenceNr, T state) =>
        map.TryGetValue(key, out var v) && v.Version >= sequenceNr ? map : map.SetItem(key, new Versioned<T>(sequenceNr, state));
}
