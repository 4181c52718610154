using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Aggregates.StoragePoolDefinitions;
using Fabric.Core.Api;
using Fabric.Host.Api.Contracts;

namespace Fabric.Host.Api;

/// <summary>Domain state to LINSTOR's REST shapes.</summary>
public static class DtoMapping
{
    /// <summary>
    /// No node agent reports to the controller yet (the node-agent work adds it), so every node is
    /// OFFLINE, as LINSTOR reports a node whose satellite it cannot reach.
    /// </summary>
    public const string ConnectionStatusOffline = "OFFLINE";

    public static NodeDto ToDto(this NodeState node) => new()
    {
        Name = node.Name,
        Type = node.Type.ToApi(),
        Props = node.Props,
        NetInterfaces = node.NetInterfaces.Values.Select(ToDto).ToList(),
        ConnectionStatus = ConnectionStatusOffline,
        Uuid = node.Uuid.ToString(),
    };

    public static NetInterfaceDto ToDto(this NetInterface netIf) => new()
    {
        Name = netIf.Name,
        Address = netIf.Address,
        SatellitePort = netIf.SatellitePort,
        SatelliteEncryptionType = netIf.EncryptionType,
        IsActive = netIf.IsActive,
        Uuid = netIf.Uuid.ToString(),
    };

    public static StoragePoolDto ToDto(this StoragePool pool, NodeState node) => new()
    {
        StoragePoolName = pool.Name,
        NodeName = node.Name,
        ProviderKind = pool.Kind.ToApi(),
        Props = pool.Props,
        StaticTraits = pool.Kind.StaticTraits(),
        FreeSpaceMgrName = pool.SharedSpace ?? $"{node.Name};{pool.Name}",
        Uuid = pool.Uuid.ToString(),
        Reports = [NotConnected(node.Name, ApiConsts.MaskStorPool).ToDto(DateTimeOffset.UtcNow)],
        SupportsSnapshots = pool.Kind.SupportsSnapshots(),
        SharedSpace = pool.SharedSpace,
        ExternalLocking = pool.ExternalLocking,
    };

    public static StoragePoolDefinitionDto ToDto(this StoragePoolDefinitionState definition) => new()
    {
        StoragePoolName = definition.Name,
        Props = definition.Props,
    };

    /// <summary>LINSTOR's warning when a change is stored but the satellite cannot be told yet.</summary>
    public static ApiCallRc NotConnected(string nodeName, long objectMask, long opMask = 0) => ApiCallRc.Warning(
        objectMask,
        opMask,
        ApiConsts.WarnNotConnected,
        $"No active connection to satellite '{nodeName}'",
        "The satellite's node agent is not connected to the controller.",
        "The controller stored the change; the satellite receives it as soon as its agent connects.");
}
