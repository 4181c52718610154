using System.Collections.Immutable;
using Fabric.Node.Drbd;
using Fabric.Node.Drbd.Planning;
using Fabric.Node.Drbd.State;

namespace Fabric.Node.Agent.Drbd;

/// <summary>The planner's view of one resource, from the state folded out of the driver's notifications.</summary>
public static class DrbdKernelViews
{
    public static DrbdKernelResource? Of(DrbdObservedResource? observed) => observed is null ? null : new DrbdKernelResource(
        observed.Name,
        observed.Info.Role,
        observed.Devices.Values.ToImmutableSortedDictionary(
            d => d.Volume,
            d => new DrbdKernelDevice(d.Volume, d.Minor, d.Info.Disk, d.Info.IntentionalDiskless, d.Info.SizeKiB)),
        observed.Connections.Values.ToImmutableSortedDictionary(
            c => c.PeerNodeId,
            c => new DrbdKernelConnection(
                c.PeerNodeId,
                c.Info.State,
                // 8.4 reports no paths: a configured connection there always has its addresses.
                c.Paths.Count > 0 || c.Info.State != DrbdConnectionState.StandAlone,
                c.PeerDevices.ToImmutableSortedDictionary(p => p.Key, p => new DrbdKernelPeerDevice(p.Key, p.Value.Replication, p.Value.PeerDisk)))));
}
