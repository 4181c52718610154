using System.Collections.Immutable;
using Fabric.Node.Drbd.Config;
using Fabric.Node.Drbd.Kernel;

namespace Fabric.Node.Drbd.Planning;

/// <summary>
/// The options this agent incarnation has set in the driver for one resource: the kernel's events
/// do not show options, so the planner compares the desired ones with these (DRBD's <c>adjust</c>).
/// Unknown (null, or no entry for a peer or volume) means "not set by this incarnation": the
/// planner sets them once more, as after an agent restart.
/// </summary>
/// <param name="Net">Net options by peer node id.</param>
/// <param name="Disk">Disk options by volume.</param>
/// <param name="Paths">The address pair (this node's end, the peer's end) of each peer's path, by peer node id.</param>
public sealed record DrbdAppliedOptions(
    DrbdResourceOptions? Resource,
    ImmutableSortedDictionary<int, DrbdNetOptions> Net,
    ImmutableSortedDictionary<int, DrbdDiskOptions> Disk,
    ImmutableSortedDictionary<int, (DrbdEndpoint Local, DrbdEndpoint Peer)> Paths)
{
    public static readonly DrbdAppliedOptions None = new(
        null,
        ImmutableSortedDictionary<int, DrbdNetOptions>.Empty,
        ImmutableSortedDictionary<int, DrbdDiskOptions>.Empty,
        ImmutableSortedDictionary<int, (DrbdEndpoint Local, DrbdEndpoint Peer)>.Empty);

    /// <summary>What is known to be set after <paramref name="step"/> succeeded.</summary>
    public DrbdAppliedOptions After(DrbdStep step) => step switch
    {
        NewResourceStep s => this with { Resource = s.Options },
        ResourceOptionsStep s => this with { Resource = s.Options },
        NewPeerStep s => this with { Net = Net.SetItem(s.Peer.Endpoint.NodeId, s.Net) },
        NetOptionsStep s => this with { Net = Net.SetItem(s.PeerNodeId, s.Options) },
        DeletePeerStep s => this with { Net = Net.Remove(s.PeerNodeId), Paths = Paths.Remove(s.PeerNodeId) },
        NewPathStep s => this with { Paths = Paths.SetItem(s.Peer.Endpoint.NodeId, (s.Local, s.Peer.Endpoint)) },
        MovePathStep s => this with { Paths = Paths.SetItem(s.Peer.Endpoint.NodeId, (s.Local, s.Peer.Endpoint)) },
        AttachStep s => this with { Disk = Disk.SetItem(s.Volume, s.Disk.Options) },
        DiskOptionsStep s => this with { Disk = Disk.SetItem(s.Volume, s.Options) },
        DetachStep s => this with { Disk = Disk.Remove(s.Volume) },
        DeleteMinorStep s => this with { Disk = Disk.Remove(s.Volume) },
        DownStep => None,
        _ => this,
    };
}
