using System.Net;
using Fabric.Node.Drbd.Kernel;

namespace Fabric.Node.Drbd.Netlink;

/// <summary>
/// The DRBD 9 objects an 8.4 driver does not have, kept in memory by <see cref="NetlinkDrbdKernelV1"/>:
/// per resource the one peer (node id, net options, connection name) and its one path, sent to
/// the kernel with the 8.4 connect. Thread-safe. Lost on restart: the peer node id of a connection
/// found in the kernel is then unknown until <c>NewPeerAsync</c> is called again (which sends nothing).
/// </summary>
internal sealed class DrbdV1PeerBook : IDrbdV1PeerDirectory
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public DrbdV1Peer? Find(string resource)
    {
        lock (_lock)
        {
            return _entries.TryGetValue(resource, out var e) ? new DrbdV1Peer(e.PeerNodeId, e.Options.ConnectionName, e.Local, e.Peer) : null;
        }
    }

    public Entry? Get(string resource, int peerNodeId)
    {
        lock (_lock)
        {
            return _entries.TryGetValue(resource, out var e) && e.PeerNodeId == peerNodeId ? e : null;
        }
    }

    public void AddPeer(string resource, int peerNodeId, DrbdNetOptions options)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(resource, out var existing) && existing.PeerNodeId != peerNodeId)
            {
                throw new DrbdFeatureUnavailableException("new-peer",
                    $"a second peer (node {peerNodeId}) for resource '{resource}', which already connects to node {existing.PeerNodeId}",
                    "DRBD 8.4 replicates a resource between two nodes only; install DRBD 9 for more replicas.");
            }
            _entries[resource] = existing is null ? new Entry(peerNodeId, options, null, null) : existing with { Options = options };
        }
    }

    public Entry Update(string resource, int peerNodeId, string operation, Func<Entry, Entry> change)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(resource, out var e) || e.PeerNodeId != peerNodeId)
            {
                throw new InvalidOperationException(
                    $"DRBD {operation} of '{resource}' to peer node {peerNodeId}: no such peer was created on this 8.4 host. Call NewPeerAsync first.");
            }
            var updated = change(e);
            _entries[resource] = updated;
            return updated;
        }
    }

    public void Remove(string resource)
    {
        lock (_lock)
        {
            _entries.Remove(resource);
        }
    }

    /// <summary>One remembered peer.</summary>
    public sealed record Entry(int PeerNodeId, DrbdNetOptions Options, IPEndPoint? Local, IPEndPoint? Peer)
    {
        public bool HasPath => Local is not null && Peer is not null;
    }
}
