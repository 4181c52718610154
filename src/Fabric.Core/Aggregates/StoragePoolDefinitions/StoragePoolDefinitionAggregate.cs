using System.Collections.Immutable;
using Fabric.Core.Api;
using Fabric.Core.Naming;
using Fabric.Core.Properties;
using Fabric.Core.Serialization;
using static Fabric.Core.Api.ApiConsts;

namespace Fabric.Core.Aggregates.StoragePoolDefinitions;

/// <summary>
/// A cluster-wide storage pool name with its props. Like LINSTOR, a definition exists implicitly
/// while any node has a pool of that name; an explicit one exists once created or given props.
/// </summary>
[Durable("storage-pool-definition-state.v1")]
public sealed record StoragePoolDefinitionState(string Key, bool Exists, string Name, Guid Uuid, ImmutableSortedDictionary<string, string> Props) : IDurable;

public interface IStoragePoolDefinitionCommand : IWireMessage;

public sealed record CreateStoragePoolDefinition(string Name, ImmutableSortedDictionary<string, string> Props) : IStoragePoolDefinitionCommand;

/// <param name="ImplicitName">Display name of the pools that make the definition exist implicitly, or null when none does.</param>
public sealed record ModifyStoragePoolDefinition(PropsChange Change, string? ImplicitName) : IStoragePoolDefinitionCommand;

/// <param name="NodesWithPools">Nodes that still have a pool of this name (from the read model).</param>
public sealed record DeleteStoragePoolDefinition(ImmutableList<string> NodesWithPools) : IStoragePoolDefinitionCommand;

public interface IStoragePoolDefinitionEvent : IDurable;

[Durable("storage-pool-definition-created.v1")]
public sealed record StoragePoolDefinitionCreated(string Name, Guid Uuid, ImmutableSortedDictionary<string, string> Props) : IStoragePoolDefinitionEvent;

[Durable("storage-pool-definition-props-changed.v1")]
public sealed record StoragePoolDefinitionPropsChanged(PropsChange Change) : IStoragePoolDefinitionEvent;

[Durable("storage-pool-definition-deleted.v1")]
public sealed record StoragePoolDefinitionDeleted : IStoragePoolDefinitionEvent;

public sealed class StoragePoolDefinitionAggregate : IAggregate<StoragePoolDefinitionState, IStoragePoolDefinitionCommand, IStoragePoolDefinitionEvent>
{
    public static readonly StoragePoolDefinitionAggregate Instance = new();

    public string Kind => "storage-pool-definition";

    public StoragePoolDefinitionState Initial(string entityId) => new(entityId, false, entityId, Guid.Empty, Props.Empty);

    public Decision<IStoragePoolDefinitionEvent> Decide(StoragePoolDefinitionState state, IStoragePoolDefinitionCommand command, DecideContext context) => command switch
    {
        CreateStoragePoolDefinition c => DecideCreate(state, c, context),
        ModifyStoragePoolDefinition c => DecideModify(state, c, context),
        DeleteStoragePoolDefinition c => DecideDelete(state, c),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "unknown storage pool definition command"),
    };

    public StoragePoolDefinitionState Apply(StoragePoolDefinitionState state, IStoragePoolDefinitionEvent @event) => @event switch
    {
        StoragePoolDefinitionCreated e => state with { Exists = true, Name = e.Name, Uuid = e.Uuid, Props = e.Props.WithComparers(StringComparer.Ordinal) },
        StoragePoolDefinitionPropsChanged e => state with { Props = Props.Apply(state.Props, e.Change) },
        StoragePoolDefinitionDeleted => Initial(state.Key),
        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event.GetType().Name, "unknown storage pool definition event"),
    };

    private static Decision<IStoragePoolDefinitionEvent> DecideCreate(StoragePoolDefinitionState state, CreateStoragePoolDefinition c, DecideContext context)
    {
        if (Names.CheckStoragePoolName(c.Name) is { } nameError)
        {
            return Reject(MaskCrt, FailInvldStorPoolName, nameError, $"Invalid storage pool definition name '{c.Name}'.", "Use 3 to 48 characters: a letter or '_' first, then letters, digits, '_' or '-'.");
        }
        if (state.Exists)
        {
            return Reject(MaskCrt, FailExistsStorPoolDfn, $"A storage pool definition named '{c.Name}' already exists (as '{state.Name}').", "Storage pool definition names are case-insensitive and unique.", "Choose another name, or modify the existing definition.");
        }
        if (Props.Validate(PropsChange.Of(c.Props)) is { } propsError)
        {
            return Reject(MaskCrt, FailInvldPropKey, $"Invalid property for storage pool definition '{c.Name}'.", propsError, "Use keys of the form 'Namespace/Key'.");
        }
        return Decision<IStoragePoolDefinitionEvent>.Accept(
            new StoragePoolDefinitionCreated(c.Name, context.NewUuid, c.Props.WithComparers(StringComparer.Ordinal)),
            ApiCallRc.Success(MaskStorPoolDfn, MaskCrt, Created, $"New storage pool definition '{c.Name}' created.", $"Storage pool definition '{c.Name}' UUID is: {context.NewUuid}").WithRef("StorPoolDfn", c.Name));
    }

    private static Decision<IStoragePoolDefinitionEvent> DecideModify(StoragePoolDefinitionState state, ModifyStoragePoolDefinition c, DecideContext context)
    {
        if (!state.Exists && c.ImplicitName is null)
        {
            return Decision<IStoragePoolDefinitionEvent>.Reject(NotFound(state.Key, MaskMod));
        }
        if (Props.Validate(c.Change) is { } propsError)
        {
            return Reject(MaskMod, FailInvldPropKey, $"Invalid property change for storage pool definition '{state.Name}'.", propsError, "Use keys of the form 'Namespace/Key'.");
        }
        var name = state.Exists ? state.Name : c.ImplicitName!;
        var message = ApiCallRc.Success(MaskStorPoolDfn, MaskMod, Modified, $"Storage pool definition '{name}' updated.").WithRef("StorPoolDfn", name);
        var events = new List<IStoragePoolDefinitionEvent>();
        if (!state.Exists)
        {
            events.Add(new StoragePoolDefinitionCreated(name, context.NewUuid, Props.Empty));
        }
        if (!Props.IsNoop(state.Props, c.Change))
        {
            events.Add(new StoragePoolDefinitionPropsChanged(c.Change));
        }
        return Decision<IStoragePoolDefinitionEvent>.Accept(events, message);
    }

    private static Decision<IStoragePoolDefinitionEvent> DecideDelete(StoragePoolDefinitionState state, DeleteStoragePoolDefinition c)
    {
        if (!c.NodesWithPools.IsEmpty)
        {
            return Reject(MaskDel, FailInUse, $"Storage pool definition '{state.Name}' is still in use.", $"Nodes with a pool of this name: {string.Join(", ", c.NodesWithPools)}.", "Delete those storage pools first.");
        }
        if (!state.Exists)
        {
            return Decision<IStoragePoolDefinitionEvent>.Reject(NotFound(state.Key, MaskDel));
        }
        return Decision<IStoragePoolDefinitionEvent>.Accept(
            new StoragePoolDefinitionDeleted(),
            ApiCallRc.Success(MaskStorPoolDfn, MaskDel, Deleted, $"Storage pool definition '{state.Name}' deleted.").WithRef("StorPoolDfn", state.Name));
    }

    /// <summary>The error for a definition that exists neither explicitly nor through pools of its name.</summary>
    public static ApiCallRc NotFound(string name, long op) => ApiCallRc.Error(
        MaskStorPoolDfn,
        op,
        FailNotFoundStorPoolDfn,
        $"Storage pool definition '{name}' not found.",
        "No definition and no storage pool of that name exists.",
        "Check the name with GET /v1/storage-pool-definitions.");

    private static Decision<IStoragePoolDefinitionEvent> Reject(long op, long code, string message, string cause, string correction) =>
        Decision<IStoragePoolDefinitionEvent>.Reject(ApiCallRc.Error(MaskStorPoolDfn, op, code, message, cause, correction));
}
