using System.Collections.Immutable;

namespace Fabric.Node.Drbd.Planning;

/// <summary>
/// What the planner needs to know about one resource as the kernel has it now (folded from the
/// driver's notifications). Null for a resource the kernel does not know.
/// </summary>
public sealed record DrbdKernelResource(
    string Name,
    DrbdRole Role,
    ImmutableSortedDictionary<int, DrbdKernelDevice> Devices,
    ImmutableSortedDictionary<int, DrbdKernelConnection> Connections);

/// <summary>A minor of the resource. <paramref name="SizeKiB"/> is the DRBD device's size, when known.</summary>
public sealed record DrbdKernelDevice(int Volume, int Minor, DrbdDiskState Disk, bool IntentionalDiskless, long? SizeKiB);

/// <summary>A connection to one peer, with the peer's disk state per volume.</summary>
/// <param name="HasPath">The connection has at least one path (DRBD 9; always true on 8.4 once configured).</param>
public sealed record DrbdKernelConnection(
    int PeerNodeId,
    DrbdConnectionState State,
    bool HasPath,
    ImmutableSortedDictionary<int, DrbdKernelPeerDevice> PeerDevices);

public sealed record DrbdKernelPeerDevice(int Volume, DrbdReplicationState Replication, DrbdDiskState PeerDisk);
