using System.Collections.Immutable;
using Fabric.Node.Drbd.Kernel;

namespace Fabric.Node.Drbd.State;

/// <summary>
/// Folds kernel notification batches into the immutable <see cref="DrbdHostState"/> (pure). An
/// initial-state batch replaces everything known; otherwise each notification creates, changes or
/// destroys its object. A change (or create) of an object that is not known creates it, and its
/// parents when they are missing too, so a lost create never hides an object. Destroying a resource
/// or a connection drops everything below it. Helper calls do not change state.
/// </summary>
public static class DrbdStateMachine
{
    public static DrbdHostState Apply(DrbdHostState state, DrbdEventBatch batch)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(batch);
        var resources = (batch.IsInitialState ? DrbdHostState.Empty.Resources : state.Resources).ToBuilder();
        foreach (var notification in batch.Notifications)
        {
            ApplyOne(resources, notification);
        }
        return new DrbdHostState(state.HasInitialState || batch.IsInitialState, resources.ToImmutable());
    }

    /// <summary>The resources a batch touches (old and new name of a rename); every resource for an initial state.</summary>
    public static IReadOnlySet<string> TouchedResources(DrbdHostState before, DrbdEventBatch batch)
    {
        var touched = new SortedSet<string>(StringComparer.Ordinal);
        if (batch.IsInitialState)
        {
            touched.UnionWith(before.Resources.Keys);
        }
        foreach (var notification in batch.Notifications)
        {
            touched.Add(notification.Resource);
            if (notification is DrbdResourceNotification { Kind: DrbdNotificationKind.Rename, NewName: { } newName })
            {
                touched.Add(newName);
            }
        }
        return touched;
    }

    private static void ApplyOne(ImmutableSortedDictionary<string, DrbdObservedResource>.Builder resources, DrbdNotification notification)
    {
        if (notification.Kind is DrbdNotificationKind.Call or DrbdNotificationKind.Response)
        {
            return;
        }
        var destroy = notification.Kind == DrbdNotificationKind.Destroy;
        var existing = resources.GetValueOrDefault(notification.Resource);
        if (destroy && existing is null)
        {
            return;
        }
        switch (notification)
        {
            case DrbdResourceNotification r when destroy:
                resources.Remove(r.Resource);
                return;
            case DrbdResourceNotification { Kind: DrbdNotificationKind.Rename } r:
                if (existing is not null && r.NewName is { } newName)
                {
                    resources.Remove(r.Resource);
                    resources[newName] = existing with { Name = newName, Info = r.Info ?? existing.Info };
                }
                return;
        }
        var resource = existing ?? DrbdObservedResource.Create(notification.Resource);
        var updated = notification switch
        {
            DrbdResourceNotification r => r.Info is null ? resource : resource with { Info = r.Info },
            DrbdDeviceNotification d => ApplyDevice(resource, d, destroy),
            DrbdConnectionNotification c => ApplyConnection(resource, c, destroy),
            DrbdPeerDeviceNotification p => ApplyPeerDevice(resource, p, destroy),
            DrbdPathNotification p => ApplyPath(resource, p, destroy),
            _ => resource,
        };
        resources[notification.Resource] = updated;
    }

    private static DrbdObservedResource ApplyDevice(DrbdObservedResource resource, DrbdDeviceNotification n, bool destroy)
    {
        if (destroy)
        {
            return resource with { Devices = resource.Devices.Remove(n.Volume) };
        }
        var info = n.Info ?? resource.Devices.GetValueOrDefault(n.Volume)?.Info ?? new DrbdDeviceInfo(DrbdDiskState.Diskless, false, false, false, null);
        return resource with { Devices = resource.Devices.SetItem(n.Volume, new DrbdObservedDevice(n.Volume, n.Minor, info)) };
    }

    private static DrbdObservedResource ApplyConnection(DrbdObservedResource resource, DrbdConnectionNotification n, bool destroy)
    {
        if (destroy)
        {
            return resource with { Connections = resource.Connections.Remove(n.PeerNodeId) };
        }
        var connection = Connection(resource, n.PeerNodeId, n.ConnectionName);
        return WithConnection(resource, n.Info is null ? connection : connection with { Info = n.Info });
    }

    private static DrbdObservedResource ApplyPeerDevice(DrbdObservedResource resource, DrbdPeerDeviceNotification n, bool destroy)
    {
        var known = resource.Connections.GetValueOrDefault(n.PeerNodeId);
        if (destroy)
        {
            return known is null ? resource : WithConnection(resource, known with { PeerDevices = known.PeerDevices.Remove(n.Volume) });
        }
        var connection = Connection(resource, n.PeerNodeId, n.ConnectionName);
        var previous = connection.PeerDevices.GetValueOrDefault(n.Volume);
        var info = n.Info ?? previous ?? new DrbdPeerDeviceInfo(DrbdReplicationState.Off, DrbdDiskState.DUnknown, false, false);
        if (DrbdStatusRules.IsResyncing(info.Replication) && info.ResyncTotalKiB is not > 0 && info.OutOfSyncKiB is { } outOfSync)
        {
            // DRBD 8.4 reports no resync total (seen in the lab): what was out of sync when the resync
            // began stands in for it, so the sync percentage can still be shown.
            var began = previous is { ResyncTotalKiB: > 0 } p && DrbdStatusRules.IsResyncing(p.Replication) ? p.ResyncTotalKiB.Value : outOfSync;
            info = info with { ResyncTotalKiB = Math.Max(began, outOfSync) };
        }
        if (info.Replication != DrbdReplicationState.Off && connection.Info.State != DrbdConnectionState.Connected)
        {
            // A peer device replicates only over a connected connection. DRBD 8.4 reports the step to
            // Connected on its devices only (its connection notifications stop at WFReportParams).
            connection = connection with { Info = connection.Info with { State = DrbdConnectionState.Connected } };
        }
        return WithConnection(resource, connection with { PeerDevices = connection.PeerDevices.SetItem(n.Volume, info) });
    }

    private static DrbdObservedResource ApplyPath(DrbdObservedResource resource, DrbdPathNotification n, bool destroy)
    {
        var known = resource.Connections.GetValueOrDefault(n.PeerNodeId);
        if (destroy && known is null)
        {
            return resource;
        }
        var connection = known ?? Connection(resource, n.PeerNodeId, null);
        var index = connection.Paths.FindIndex(p => Equals(p.Local, n.Local) && Equals(p.Peer, n.Peer));
        var path = new DrbdObservedPath(n.Local, n.Peer, n.Established);
        var paths = (index, destroy) switch
        {
            (< 0, true) => connection.Paths,
            (< 0, false) => connection.Paths.Add(path),
            (_, true) => connection.Paths.RemoveAt(index),
            _ => connection.Paths.SetItem(index, path),
        };
        return WithConnection(resource, connection with { Paths = paths });
    }

    private static DrbdObservedConnection Connection(DrbdObservedResource resource, int peerNodeId, string? name)
    {
        var connection = resource.Connections.GetValueOrDefault(peerNodeId) ?? DrbdObservedConnection.Create(peerNodeId, name);
        return name is null || name == connection.Name ? connection : connection with { Name = name };
    }

    private static DrbdObservedResource WithConnection(DrbdObservedResource resource, DrbdObservedConnection connection) =>
        resource with { Connections = resource.Connections.SetItem(connection.PeerNodeId, connection) };
}
