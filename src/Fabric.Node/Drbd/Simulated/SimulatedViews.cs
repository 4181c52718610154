using Fabric.Node.Drbd.Kernel;

namespace Fabric.Node.Drbd.Simulated;

/// <summary>Identifies one DRBD object inside a resource; sorts in the kernel's change order (resource, connections, devices, peer devices, paths).</summary>
internal readonly record struct SimulatedViewKey(int Rank, int First, int Second, string Extra) : IComparable<SimulatedViewKey>
{
    public const int ResourceRank = 0;
    public const int ConnectionRank = 1;
    public const int DeviceRank = 2;
    public const int PeerDeviceRank = 3;
    public const int PathRank = 4;

    public int CompareTo(SimulatedViewKey other)
    {
        var c = Rank.CompareTo(other.Rank);
        c = c != 0 ? c : First.CompareTo(other.First);
        c = c != 0 ? c : Second.CompareTo(other.Second);
        return c != 0 ? c : string.CompareOrdinal(Extra, other.Extra);
    }

    /// <summary>The initial-state dump's order: resource, connections, paths, devices, peer devices.</summary>
    public int DumpRank => Rank switch { ConnectionRank => 1, PathRank => 2, DeviceRank => 3, PeerDeviceRank => 4, _ => 0 };

    /// <summary>Destroys go children first: paths, peer devices, connections, devices, resource.</summary>
    public int DestroyRank => Rank switch { PathRank => 0, PeerDeviceRank => 1, ConnectionRank => 2, DeviceRank => 3, _ => 4 };
}

/// <summary>Everything one node's kernel would report about one resource, as Exists notifications.</summary>
internal sealed class SimulatedResourceView(SortedDictionary<SimulatedViewKey, DrbdNotification> objects)
{
    public static SimulatedResourceView Empty { get; } = new([]);

    public SortedDictionary<SimulatedViewKey, DrbdNotification> Objects { get; } = objects;

    public IEnumerable<DrbdNotification> Dump() => Objects.OrderBy(o => o.Key.DumpRank).ThenBy(o => o.Key).Select(o => o.Value);

    /// <summary>The notifications that turn <paramref name="before"/> into this view: creates and changes in kernel order, then destroys.</summary>
    /// <param name="progressEvents">False (DRBD 8.4): a peer device whose out-of-sync counter is all that changed is not announced.</param>
    public List<DrbdNotification> Since(SimulatedResourceView before, bool progressEvents = true)
    {
        var changes = new List<DrbdNotification>();
        foreach (var (key, now) in Objects)
        {
            if (!before.Objects.TryGetValue(key, out var was))
            {
                changes.Add(SimulatedViews.As(now, DrbdNotificationKind.Create));
            }
            else if (!Equals(was, now) && (progressEvents || !OnlyOutOfSyncChanged(was, now)))
            {
                changes.Add(SimulatedViews.As(now, DrbdNotificationKind.Change));
            }
        }
        changes.AddRange(before.Objects
            .Where(o => !Objects.ContainsKey(o.Key))
            .OrderBy(o => o.Key.DestroyRank).ThenBy(o => o.Key)
            .Select(o => SimulatedViews.As(o.Value, DrbdNotificationKind.Destroy)));
        return changes;
    }

    private static bool OnlyOutOfSyncChanged(DrbdNotification was, DrbdNotification now) =>
        was is DrbdPeerDeviceNotification { Info: { } before } && now is DrbdPeerDeviceNotification { Info: { } after }
        && before with { OutOfSyncKiB = after.OutOfSyncKiB } == after;
}

/// <summary>Renders the simulated model of one resource as the notifications a DRBD 9 kernel sends.</summary>
internal static class SimulatedViews
{
    /// <param name="reportsResyncTotal">False (DRBD 8.4): peer devices carry no resync total.</param>
    public static SimulatedResourceView Of(SimResource resource, bool reportsResyncTotal = true)
    {
        var objects = new SortedDictionary<SimulatedViewKey, DrbdNotification>
        {
            [new(SimulatedViewKey.ResourceRank, 0, 0, "")] = new DrbdResourceNotification(DrbdNotificationKind.Exists, resource.Name,
                new DrbdResourceInfo(resource.Role, resource.SuspendedByUser, false, false, resource.SuspendedForQuorum, false)),
        };
        foreach (var device in resource.Devices.Values)
        {
            objects[new(SimulatedViewKey.DeviceRank, device.Volume, 0, "")] = new DrbdDeviceNotification(DrbdNotificationKind.Exists, resource.Name, device.Volume, device.Minor,
                new DrbdDeviceInfo(device.Disk, device.IntentionalDiskless, device.HasQuorum, false, device.HasDisk ? device.BackingDevice : null, device.SizeKiB));
        }
        foreach (var connection in resource.Connections.Values)
        {
            var peer = connection.PeerNodeId;
            var name = connection.Net.ConnectionName;
            objects[new(SimulatedViewKey.ConnectionRank, peer, 0, "")] = new DrbdConnectionNotification(DrbdNotificationKind.Exists, resource.Name, peer, name,
                new DrbdConnectionInfo(connection.State, connection.PeerRole));
            foreach (var peerDevice in connection.PeerDevices.Values)
            {
                var slot = resource.Devices.GetValueOrDefault(peerDevice.Volume)?.Metadata?.Slots.GetValueOrDefault(peer);
                objects[new(SimulatedViewKey.PeerDeviceRank, peer, peerDevice.Volume, "")] = new DrbdPeerDeviceNotification(DrbdNotificationKind.Exists, resource.Name, peer, name, peerDevice.Volume,
                    new DrbdPeerDeviceInfo(peerDevice.Replication, peerDevice.PeerDisk, peerDevice.PeerClient, false,
                        OutOfSyncKiB: slot?.OutOfSyncKiB ?? 0,
                        ResyncTotalKiB: reportsResyncTotal ? peerDevice.ResyncTotalKiB : null,
                        ResyncFailedKiB: 0,
                        UuidFlags: peerDevice.PeerStable ? 0x8UL : 0UL));
            }
            for (var i = 0; i < connection.Paths.Count; i++)
            {
                var (local, remote) = connection.Paths[i];
                objects[new(SimulatedViewKey.PathRank, peer, 0, $"{local}|{remote}")] = new DrbdPathNotification(DrbdNotificationKind.Exists, resource.Name, peer, local, remote,
                    connection.Connected && i == 0);
            }
        }
        return new SimulatedResourceView(objects);
    }

    public static DrbdNotification As(DrbdNotification notification, DrbdNotificationKind kind)
    {
        var destroy = kind == DrbdNotificationKind.Destroy;
        return notification switch
        {
            DrbdResourceNotification r => r with { Kind = kind, Info = destroy ? null : r.Info },
            DrbdDeviceNotification d => d with { Kind = kind, Info = destroy ? null : d.Info },
            DrbdConnectionNotification c => c with { Kind = kind, Info = destroy ? null : c.Info },
            DrbdPeerDeviceNotification p => p with { Kind = kind, Info = destroy ? null : p.Info },
            DrbdPathNotification p => p with { Kind = kind, Established = !destroy && p.Established },
            _ => notification with { Kind = kind },
        };
    }
}
