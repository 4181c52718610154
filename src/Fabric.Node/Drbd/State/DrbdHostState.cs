using System.Collections.Immutable;
using System.Net;
using Fabric.Node.Drbd.Kernel;

namespace Fabric.Node.Drbd.State;

/// <summary>One path (address pair) of a connection and whether its socket is up.</summary>
public sealed record DrbdObservedPath(IPEndPoint? Local, IPEndPoint? Peer, bool Established);

/// <summary>A connection to one peer node with its peer devices (by volume) and paths, as the kernel last reported them.</summary>
/// <param name="Name">The conn-name (the peer's node name); null when no notification named it yet.</param>
public sealed record DrbdObservedConnection(
    int PeerNodeId,
    string? Name,
    DrbdConnectionInfo Info,
    ImmutableSortedDictionary<int, DrbdPeerDeviceInfo> PeerDevices,
    ImmutableList<DrbdObservedPath> Paths)
{
    public static DrbdObservedConnection Create(int peerNodeId, string? name) => new(
        peerNodeId,
        name,
        new DrbdConnectionInfo(DrbdConnectionState.StandAlone, DrbdRole.Unknown),
        ImmutableSortedDictionary<int, DrbdPeerDeviceInfo>.Empty,
        ImmutableList<DrbdObservedPath>.Empty);
}

/// <summary>A device (one volume, one minor) as the kernel last reported it.</summary>
public sealed record DrbdObservedDevice(int Volume, int Minor, DrbdDeviceInfo Info);

/// <summary>A resource with its devices (by volume) and connections (by peer node id).</summary>
public sealed record DrbdObservedResource(
    string Name,
    DrbdResourceInfo Info,
    ImmutableSortedDictionary<int, DrbdObservedDevice> Devices,
    ImmutableSortedDictionary<int, DrbdObservedConnection> Connections)
{
    /// <summary>What a resource is before any notification described it.</summary>
    public static DrbdResourceInfo UnknownInfo { get; } = new(DrbdRole.Unknown, false, false, false, false, false);

    public static DrbdObservedResource Create(string name) => new(
        name,
        UnknownInfo,
        ImmutableSortedDictionary<int, DrbdObservedDevice>.Empty,
        ImmutableSortedDictionary<int, DrbdObservedConnection>.Empty);
}

/// <summary>
/// Every DRBD object on the host, folded from kernel notifications by <see cref="DrbdStateMachine"/>.
/// <see cref="HasInitialState"/> turns true with the first initial-state batch; before that the picture is partial.
/// </summary>
public sealed record DrbdHostState(bool HasInitialState, ImmutableSortedDictionary<string, DrbdObservedResource> Resources)
{
    public static DrbdHostState Empty { get; } = new(false, ImmutableSortedDictionary<string, DrbdObservedResource>.Empty.WithComparers(StringComparer.Ordinal));

    public DrbdObservedResource? Find(string resource) => Resources.GetValueOrDefault(resource);
}
