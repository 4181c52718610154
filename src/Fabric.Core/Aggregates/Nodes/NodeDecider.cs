using System.Collections.Immutable;
using System.Net;
using Fabric.Core.Api;
using Fabric.Core.Naming;
using Fabric.Core.Properties;
using static Fabric.Core.Api.ApiConsts;

namespace Fabric.Core.Aggregates.Nodes;

/// <summary>Pure decisions for a node and the storage pools and net interfaces it owns.</summary>
public sealed class NodeAggregate : IAggregate<NodeState, INodeCommand, INodeEvent>
{
    public const string DefaultDisklessPool = "DfltDisklessStorPool";

    public static readonly NodeAggregate Instance = new();

    public string Kind => "node";

    public NodeState Initial(string entityId) => NodeState.Absent(entityId);

    public Decision<INodeEvent> Decide(NodeState state, INodeCommand command, DecideContext context) => command switch
    {
        CreateNode c => DecideCreate(state, c, context),
        _ when !state.Exists => Decision<INodeEvent>.Reject(NodeNotFound(state.Key, OpOf(command))),
        ModifyNode c => DecideModify(state, c),
        DeleteNode => DecideDelete(state, lost: false),
        LoseNode => DecideDelete(state, lost: true),
        CreateNetInterface c => DecideCreateNetIf(state, c.NetInterface, context),
        ModifyNetInterface c => DecideModifyNetIf(state, c),
        DeleteNetInterface c => DecideDeleteNetIf(state, c.Name),
        CreateStoragePool c => DecideCreatePool(state, c, context),
        ModifyStoragePool c => DecideModifyPool(state, c),
        DeleteStoragePool c => DecideDeletePool(state, c.Name),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "unknown node command"),
    };

    public NodeState Apply(NodeState state, INodeEvent @event) => @event switch
    {
        NodeCreated e => NodeState.Absent(state.Key) with
        {
            Exists = true,
            Name = e.Name,
            Type = e.Type,
            Uuid = e.Uuid,
            CreatedAtMs = e.CreatedAtMs,
            Props = e.Props.WithComparers(StringComparer.Ordinal),
        },
        NodeTypeChanged e => state with { Type = e.Type },
        NodePropsChanged e => state with { Props = Props.Apply(state.Props, e.Change) },
        NodeDeleted => NodeState.Absent(state.Key),
        NetInterfaceCreated e => state with { NetInterfaces = state.NetInterfaces.SetItem(Names.Key(e.NetInterface.Name), e.NetInterface) },
        NetInterfaceModified e => state with { NetInterfaces = state.NetInterfaces.SetItem(Names.Key(e.NetInterface.Name), e.NetInterface) },
        NetInterfaceDeleted e => state with { NetInterfaces = state.NetInterfaces.Remove(Names.Key(e.Name)) },
        StoragePoolCreated e => state with { StoragePools = state.StoragePools.SetItem(Names.Key(e.Pool.Name), e.Pool) },
        StoragePoolPropsChanged e => state.StoragePools.TryGetValue(Names.Key(e.Name), out var pool)
            ? state with { StoragePools = state.StoragePools.SetItem(Names.Key(e.Name), pool with { Props = Props.Apply(pool.Props, e.Change) }) }
            : state,
        StoragePoolDeleted e => state with { StoragePools = state.StoragePools.Remove(Names.Key(e.Name)) },
        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event.GetType().Name, "unknown node event"),
    };

    private static Decision<INodeEvent> DecideCreate(NodeState state, CreateNode c, DecideContext context)
    {
        if (Names.CheckNodeName(c.Name) is { } nameError)
        {
            return Reject(MaskNode, MaskCrt, FailInvldNodeName, nameError, $"Invalid node name '{c.Name}'.", "Use a valid host name: letters, digits and '-', labels separated by '.'.");
        }
        if (state.Exists)
        {
            return Reject(MaskNode, MaskCrt, FailExistsNode, $"A node with the name '{c.Name}' already exists (as '{state.Name}').", "Node names are case-insensitive and must be unique.", "Choose another name, or delete the existing node first.");
        }
        var type = NodeTypes.Parse(c.Type);
        if (type is null)
        {
            return c.Type is null
                ? Reject(MaskNode, MaskCrt, FailInvldNodeType, $"Node '{c.Name}' has no type.", "The field 'type' is required.", $"Give one of: {NodeTypes.Accepted}.")
                : Reject(MaskNode, MaskCrt, FailInvldNodeType, $"Node type '{c.Type}' is invalid.", $"'{c.Type}' is not a node type.", $"Use one of: {NodeTypes.Accepted}.");
        }
        if (Props.Validate(PropsChange.Of(c.Props)) is { } propsError)
        {
            return Reject(MaskNode, MaskCrt, FailInvldPropKey, $"Invalid property for node '{c.Name}'.", propsError, "Use keys of the form 'Namespace/Key', e.g. 'Aux/rack'.");
        }

        var events = new List<INodeEvent> { new NodeCreated(c.Name, type.Value, context.NewUuid, context.NowMs, c.Props.WithComparers(StringComparer.Ordinal)) };
        var seenNetIfs = new HashSet<string>(StringComparer.Ordinal);
        var derived = 0;
        foreach (var spec in c.NetInterfaces)
        {
            var netIf = ValidateNetIf(spec, Derive(context.NewUuid, ++derived), MaskCrt, out var netIfError);
            if (netIf is null)
            {
                return Decision<INodeEvent>.Reject(netIfError!);
            }
            if (!seenNetIfs.Add(Names.Key(netIf.Name)))
            {
                return Reject(MaskNetIf, MaskCrt, FailExistsNetIf, $"The net interface '{netIf.Name}' is given twice for node '{c.Name}'.", "Net interface names are case-insensitive and unique per node.", "Give each net interface its own name.");
            }
            events.Add(new NetInterfaceCreated(netIf));
        }
        if (type.Value.HoldsStorage())
        {
            events.Add(new StoragePoolCreated(new StoragePool(DefaultDisklessPool, ProviderKind.Diskless, Derive(context.NewUuid, ++derived), Props.Empty, null, false)));
        }
        return Decision<INodeEvent>.Accept(
            events,
            Success(MaskNode, MaskCrt, Created, $"New node '{c.Name}' registered.", $"Node '{c.Name}' UUID is: {context.NewUuid}").WithRef("Node", c.Name));
    }

    private static Decision<INodeEvent> DecideModify(NodeState state, ModifyNode c)
    {
        var events = new List<INodeEvent>();
        if (c.Type is not null)
        {
            var type = NodeTypes.Parse(c.Type);
            if (type is null)
            {
                return Reject(MaskNode, MaskMod, FailInvldNodeType, $"Node type '{c.Type}' is invalid.", $"'{c.Type}' is not a node type.", $"Use one of: {NodeTypes.Accepted}.");
            }
            if (!type.Value.HoldsStorage() && state.StoragePools.Keys.Any(k => k != Names.Key(DefaultDisklessPool)))
            {
                return Reject(MaskNode, MaskMod, FailInUse, $"Node '{state.Name}' cannot become {type.Value.ToApi()}.", "It holds storage pools, and a node of that type cannot.", "Delete its storage pools first.");
            }
            if (type.Value != state.Type)
            {
                events.Add(new NodeTypeChanged(type.Value));
            }
        }
        if (Props.Validate(c.Props) is { } propsError)
        {
            return Reject(MaskNode, MaskMod, FailInvldPropKey, $"Invalid property change for node '{state.Name}'.", propsError, "Use keys of the form 'Namespace/Key', e.g. 'Aux/rack'.");
        }
        if (!Props.IsNoop(state.Props, c.Props))
        {
            events.Add(new NodePropsChanged(c.Props));
        }
        var modified = Success(MaskNode, MaskMod, Modified, $"Node '{state.Name}' modified.", $"Node '{state.Name}' UUID is: {state.Uuid}").WithRef("Node", state.Name);
        return Decision<INodeEvent>.Accept(events, modified);
    }

    private static Decision<INodeEvent> DecideDelete(NodeState state, bool lost)
    {
        var pools = state.StoragePools.Values.Where(p => !string.Equals(p.Name, DefaultDisklessPool, StringComparison.OrdinalIgnoreCase)).Select(p => p.Name).ToList();
        if (!lost && pools.Count > 0)
        {
            return Reject(MaskNode, MaskDel, FailInUse, $"Node '{state.Name}' still has storage pools: {string.Join(", ", pools)}.", "A node is deleted only when nothing is left on it.", $"Delete the storage pools first, or use 'node lost' (DELETE /v1/nodes/{state.Name}/lost) if the node is gone for good.");
        }
        var message = lost
            ? Success(MaskNode, MaskDel, Deleted, $"Node '{state.Name}' lost and removed with everything on it.", $"Node '{state.Name}' UUID was: {state.Uuid}")
            : Success(MaskNode, MaskDel, Deleted, $"Node '{state.Name}' deleted.", $"Node '{state.Name}' UUID was: {state.Uuid}");
        return Decision<INodeEvent>.Accept(new NodeDeleted(lost), message.WithRef("Node", state.Name));
    }

    private static Decision<INodeEvent> DecideCreateNetIf(NodeState state, NetInterfaceSpec spec, DecideContext context)
    {
        var netIf = ValidateNetIf(spec, context.NewUuid, MaskCrt, out var error);
        if (netIf is null)
        {
            return Decision<INodeEvent>.Reject(error!);
        }
        if (state.NetInterfaces.ContainsKey(Names.Key(netIf.Name)))
        {
            return Reject(MaskNetIf, MaskCrt, FailExistsNetIf, $"Node '{state.Name}' already has a net interface named '{netIf.Name}'.", "Net interface names are case-insensitive and unique per node.", "Choose another name, or modify the existing interface.");
        }
        return Decision<INodeEvent>.Accept(
            new NetInterfaceCreated(netIf),
            Success(MaskNetIf, MaskCrt, Created, $"New net interface '{netIf.Name}' on node '{state.Name}' created.", $"Net interface '{netIf.Name}' UUID is: {netIf.Uuid}").WithRef("Node", state.Name).WithRef("NetIf", netIf.Name));
    }

    private static Decision<INodeEvent> DecideModifyNetIf(NodeState state, ModifyNetInterface c)
    {
        if (!state.NetInterfaces.TryGetValue(Names.Key(c.Name), out var existing))
        {
            return Decision<INodeEvent>.Reject(NetInterfaceNotFound(state.Name, c.Name, MaskMod));
        }
        var merged = new NetInterfaceSpec(
            existing.Name,
            c.NetInterface.Address ?? existing.Address,
            c.NetInterface.SatellitePort ?? existing.SatellitePort,
            c.NetInterface.EncryptionType ?? existing.EncryptionType,
            c.NetInterface.IsActive ?? existing.IsActive);
        var netIf = ValidateNetIf(merged, existing.Uuid, MaskMod, out var error);
        if (netIf is null)
        {
            return Decision<INodeEvent>.Reject(error!);
        }
        var message = Success(MaskNetIf, MaskMod, Modified, $"Net interface '{existing.Name}' on node '{state.Name}' modified.").WithRef("Node", state.Name).WithRef("NetIf", existing.Name);
        return netIf == existing ? Decision<INodeEvent>.Nothing(message) : Decision<INodeEvent>.Accept(new NetInterfaceModified(netIf), message);
    }

    private static Decision<INodeEvent> DecideDeleteNetIf(NodeState state, string name)
    {
        if (!state.NetInterfaces.TryGetValue(Names.Key(name), out var existing))
        {
            return Decision<INodeEvent>.Reject(NetInterfaceNotFound(state.Name, name, MaskDel));
        }
        return Decision<INodeEvent>.Accept(
            new NetInterfaceDeleted(existing.Name),
            Success(MaskNetIf, MaskDel, Deleted, $"Net interface '{existing.Name}' on node '{state.Name}' deleted.").WithRef("Node", state.Name).WithRef("NetIf", existing.Name));
    }

    private static Decision<INodeEvent> DecideCreatePool(NodeState state, CreateStoragePool c, DecideContext context)
    {
        if (Names.CheckStoragePoolName(c.Name) is { } nameError)
        {
            return Reject(MaskStorPool, MaskCrt, FailInvldStorPoolName, nameError, $"Invalid storage pool name '{c.Name}'.", "Use 3 to 48 characters: a letter or '_' first, then letters, digits, '_' or '-'.");
        }
        if (state.StoragePools.TryGetValue(Names.Key(c.Name), out var existing))
        {
            return Reject(MaskStorPool, MaskCrt, FailExistsStorPool, $"A storage pool named '{c.Name}' already exists on node '{state.Name}' (as '{existing.Name}').", "Storage pool names are case-insensitive and unique per node.", "Choose another name, or delete the existing pool first.");
        }
        var kind = ProviderKinds.Parse(c.ProviderKind);
        if (kind is null)
        {
            var cause = c.ProviderKind is null
                ? "The field 'provider_kind' is required."
                : ProviderKinds.IsKnownButUnsupported(c.ProviderKind)
                    ? $"Fabric does not implement the '{c.ProviderKind}' provider."
                    : $"'{c.ProviderKind}' is not a storage provider kind.";
            return Reject(MaskStorPool, MaskCrt, FailInvldStorDriver, $"Invalid provider kind '{c.ProviderKind}' for storage pool '{c.Name}'.", cause, $"Use one of: {ProviderKinds.Accepted}.");
        }
        if (!state.Type.HoldsStorage())
        {
            return Reject(MaskStorPool, MaskCrt, FailInvldStorDriver, $"Node '{state.Name}' cannot hold storage pools.", $"It is a {state.Type.ToApi()} node.", "Create storage pools on SATELLITE or COMBINED nodes, or change the node's type.");
        }
        if (Props.Validate(PropsChange.Of(c.Props)) is { } propsError)
        {
            return Reject(MaskStorPool, MaskCrt, FailInvldPropKey, $"Invalid property for storage pool '{c.Name}'.", propsError, "Use keys of the form 'Namespace/Key'.");
        }
        if (kind != ProviderKind.Diskless && string.IsNullOrWhiteSpace(c.Props.GetValueOrDefault(ProviderKinds.BackingStoreProp)))
        {
            return Reject(MaskStorPool, MaskCrt, FailMissingProps, $"Storage pool '{c.Name}' of kind {kind.Value.ToApi()} needs a backing store.", $"The property '{ProviderKinds.BackingStoreProp}' is missing.", $"Set '{ProviderKinds.BackingStoreProp}' to {kind.Value.BackingStoreExample()}.");
        }
        if (c.SharedSpace is { Length: 0 })
        {
            return Reject(MaskStorPool, MaskCrt, FailInvldRequest, $"The shared space name of storage pool '{c.Name}' is empty.", "shared_space was given but empty.", "Omit shared_space or give it a name.");
        }
        var pool = new StoragePool(c.Name, kind.Value, context.NewUuid, c.Props.WithComparers(StringComparer.Ordinal), c.SharedSpace, c.ExternalLocking);
        return Decision<INodeEvent>.Accept(
            new StoragePoolCreated(pool),
            Success(MaskStorPool, MaskCrt, Created, $"Storage pool '{c.Name}' on node '{state.Name}' registered.", $"Storage pool '{c.Name}' on node '{state.Name}' UUID is: {pool.Uuid}").WithRef("Node", state.Name).WithRef("StorPool", c.Name));
    }

    private static Decision<INodeEvent> DecideModifyPool(NodeState state, ModifyStoragePool c)
    {
        if (!state.StoragePools.TryGetValue(Names.Key(c.Name), out var pool))
        {
            return Decision<INodeEvent>.Reject(StoragePoolNotFound(state.Name, c.Name, MaskMod));
        }
        if (Props.Validate(c.Props) is { } propsError)
        {
            return Reject(MaskStorPool, MaskMod, FailInvldPropKey, $"Invalid property change for storage pool '{pool.Name}'.", propsError, "Use keys of the form 'Namespace/Key'.");
        }
        var message = Success(MaskStorPool, MaskMod, Modified, $"Storage pool '{pool.Name}' on node '{state.Name}' modified.").WithRef("Node", state.Name).WithRef("StorPool", pool.Name);
        return Props.IsNoop(pool.Props, c.Props)
            ? Decision<INodeEvent>.Nothing(message)
            : Decision<INodeEvent>.Accept(new StoragePoolPropsChanged(pool.Name, c.Props), message);
    }

    private static Decision<INodeEvent> DecideDeletePool(NodeState state, string name)
    {
        if (!state.StoragePools.TryGetValue(Names.Key(name), out var pool))
        {
            return Decision<INodeEvent>.Reject(StoragePoolNotFound(state.Name, name, MaskDel));
        }
        return Decision<INodeEvent>.Accept(
            new StoragePoolDeleted(pool.Name),
            Success(MaskStorPool, MaskDel, Deleted, $"Storage pool '{pool.Name}' on node '{state.Name}' deleted.", $"Storage pool '{pool.Name}' UUID was: {pool.Uuid}").WithRef("Node", state.Name).WithRef("StorPool", pool.Name));
    }

    /// <summary>Validates a net interface spec into a net interface, or explains why it is invalid.</summary>
    private static NetInterface? ValidateNetIf(NetInterfaceSpec spec, Guid uuid, long op, out ApiCallRc? error)
    {
        error = null;
        if (Names.CheckNetInterfaceName(spec.Name) is { } nameError)
        {
            error = ApiCallRc.Error(MaskNetIf, op, FailInvldNetName, nameError, $"Invalid net interface name '{spec.Name}'.", "Use 3 to 32 characters: a letter or '_' first, then letters, digits, '_' or '-'.");
            return null;
        }
        if (string.IsNullOrWhiteSpace(spec.Address) || !IPAddress.TryParse(spec.Address, out var address))
        {
            error = ApiCallRc.Error(MaskNetIf, op, FailInvldNetAddr, $"The address '{spec.Address}' of net interface '{spec.Name}' is not an IP address.", "Net interface addresses are IPv4 or IPv6 literals.", "Give an address such as 192.168.1.10 or fd00::10.");
            return null;
        }
        if (spec.SatellitePort is { } port && (port < 1 || port > 65535))
        {
            error = ApiCallRc.Error(MaskNetIf, op, FailInvldNetPort, $"The satellite port {port} of net interface '{spec.Name}' is out of range.", "TCP ports are 1 to 65535.", "Give a port between 1 and 65535, or omit it.");
            return null;
        }
        var encryption = spec.EncryptionType?.Trim().ToUpperInvariant();
        if (encryption is not null and not "PLAIN" and not "SSL")
        {
            error = ApiCallRc.Error(MaskNetIf, op, FailInvldNetType, $"The encryption type '{spec.EncryptionType}' of net interface '{spec.Name}' is invalid.", "Only PLAIN and SSL exist.", "Use PLAIN or SSL, or omit it.");
            return null;
        }
        return new NetInterface(spec.Name!, address.ToString(), spec.SatellitePort, encryption, spec.IsActive ?? false, uuid);
    }

    private static long OpOf(INodeCommand command) => command switch
    {
        DeleteNode or LoseNode or DeleteNetInterface or DeleteStoragePool => MaskDel,
        CreateNetInterface or CreateStoragePool => MaskCrt,
        _ => MaskMod,
    };

    /// <summary>The error for a node that does not exist (also used by reads that find no node).</summary>
    public static ApiCallRc NodeNotFound(string node, long op) =>
        ApiCallRc.Error(MaskNode, op, FailNotFoundNode, $"Node '{node}' not found.", $"No node named '{node}' is registered.", "Check the name with GET /v1/nodes, or create the node first.");

    public static ApiCallRc NetInterfaceNotFound(string node, string netIf, long op) =>
        ApiCallRc.Error(MaskNetIf, op, FailNotFoundNetIf, $"Net interface '{netIf}' on node '{node}' not found.", $"Node '{node}' has no net interface named '{netIf}'.", $"Check the names with GET /v1/nodes/{node}/net-interfaces.");

    public static ApiCallRc StoragePoolNotFound(string node, string pool, long op) =>
        ApiCallRc.Error(MaskStorPool, op, FailNotFoundStorPool, $"Storage pool '{pool}' on node '{node}' not found.", $"Node '{node}' has no storage pool named '{pool}'.", $"Check the names with GET /v1/nodes/{node}/storage-pools.");

    private static Decision<INodeEvent> Reject(long obj, long op, long code, string message, string cause, string correction) =>
        Decision<INodeEvent>.Reject(ApiCallRc.Error(obj, op, code, message, cause, correction));

    private static ApiCallRc Success(long obj, long op, long code, string message, string? details = null) =>
        ApiCallRc.Success(obj, op, code, message, details);

    /// <summary>A deterministic second, third, ... uuid derived from the one fresh uuid the context gives.</summary>
    private static Guid Derive(Guid seed, int index)
    {
        Span<byte> bytes = stackalloc byte[16];
        seed.TryWriteBytes(bytes);
        bytes[15] ^= (byte)index;
        bytes[14] ^= (byte)(index >> 8);
        return new Guid(bytes);
    }
}
