using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Aggregates.StoragePoolDefinitions;
using Fabric.Core.Api;
using Fabric.Core.Naming;
using Fabric.Core.Protocol;
using Fabric.Host.Api.Contracts;

namespace Fabric.Host.Api;

/// <summary>Domain state to LINSTOR's REST shapes.</summary>
public static class DtoMapping
{
    /// <summary>LINSTOR's status of a node whose satellite it cannot reach: here, no live agent report.</summary>
    public const string ConnectionStatusOffline = "OFFLINE";

    /// <summary>The node's agent reports within the status timeout (see <see cref="NodeStatusBoard"/>).</summary>
    public const string ConnectionStatusOnline = "ONLINE";

    /// <summary>The agent reports but has not finished its first desired-state sync yet.</summary>
    public const string ConnectionStatusConnected = "CONNECTED";

    /// <summary>LINSTOR's diskless provider reports Long.MAX_VALUE as free and total capacity.</summary>
    public const long DisklessCapacity = long.MaxValue;

    /// <summary>The node's live status, or null: absent from the board and offline are the same to REST.</summary>
    public static NodeLiveStatus? LiveOf(this NodeStatusBoard board, NodeState node) =>
        board.Get(node.Key) is { Online: true } live ? live : null;

    /// <param name="live">The node's entry on the status board (ONLINE, CONNECTED while syncing, else OFFLINE).</param>
    public static NodeDto ToDto(this NodeState node, NodeLiveStatus? live) => new()
    {
        Name = node.Name,
        Type = node.Type.ToApi(),
        Props = node.Props,
        NetInterfaces = node.NetInterfaces.Values.Select(ToDto).ToList(),
        ConnectionStatus = live switch
        {
            { Online: true } => ConnectionStatusOnline,
            { Connected: true } => ConnectionStatusConnected,
            _ => ConnectionStatusOffline,
        },
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

    /// <summary>
    /// A pool with what the node's agent says about it: on an offline node, no capacity and the
    /// not-connected report; on an online node, the reported capacity, or (DISKLESS) LINSTOR's
    /// unlimited capacity, or a warning that the agent did not report the pool.
    /// </summary>
    public static StoragePoolDto ToDto(this StoragePool pool, NodeState node, NodeLiveStatus? live)
    {
        long? free = null;
        long? total = null;
        ApiCallRc? report = null;
        if (live is not { Online: true })
        {
            report = NotConnected(node.Name, ApiConsts.MaskStorPool);
        }
        else if (pool.Kind == ProviderKind.Diskless)
        {
            free = total = DisklessCapacity;
        }
        else if (live.OnlinePool(Names.Key(pool.Name)) is { } capacity)
        {
            free = capacity.FreeKiB;
            total = capacity.TotalKiB;
        }
        else
        {
            report = NotReported(node.Name, pool.Name);
        }
        return new StoragePoolDto
        {
            StoragePoolName = pool.Name,
            NodeName = node.Name,
            ProviderKind = pool.Kind.ToApi(),
            Props = pool.Props,
            StaticTraits = pool.Kind.StaticTraits(),
            FreeCapacity = free,
            TotalCapacity = total,
            FreeSpaceMgrName = pool.SharedSpace ?? $"{node.Name};{pool.Name}",
            Uuid = pool.Uuid.ToString(),
            Reports = report is null ? null : [report.ToDto(DateTimeOffset.UtcNow)],
            SupportsSnapshots = pool.Kind.SupportsSnapshots(),
            SharedSpace = pool.SharedSpace,
            ExternalLocking = pool.ExternalLocking,
        };
    }

    /// <summary>The node's agent is online but its reports do not include this pool.</summary>
    public static ApiCallRc NotReported(string nodeName, string poolName) => ApiCallRc.Warning(
        ApiConsts.MaskStorPool,
        0,
        ApiConsts.WarnNotFound,
        $"The node agent of '{nodeName}' did not report storage pool '{poolName}'",
        "The agent is connected but does not serve this pool: its backing storage may be missing or misconfigured.",
        "Check the pool's backing storage (StorDriver/StorPoolName) on the node; its capacity appears once the agent reports it.");

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
