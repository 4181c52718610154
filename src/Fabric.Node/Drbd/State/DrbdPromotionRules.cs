using Fabric.Node.Drbd.Kernel;
using Fabric.Node.Drbd.Quorum;

namespace Fabric.Node.Drbd.State;

/// <summary>Why promotion to Primary is refused.</summary>
public enum DrbdPromotionRefusal
{
    None,
    UnknownResource,
    NoVolumes,
    FailingIo,
    AnotherPrimary,
    NoUpToDateData,
    NoQuorum,
}

/// <summary>Whether this node may become Primary now and, if not, why in words an operator understands.</summary>
public sealed record DrbdPromotionDecision(bool Allowed, DrbdPromotionRefusal Refusal, string Reason)
{
    public static DrbdPromotionDecision Allow(string reason) => new(true, DrbdPromotionRefusal.None, reason);

    public static DrbdPromotionDecision Refuse(DrbdPromotionRefusal refusal, string reason) => new(false, refusal, reason);
}

/// <summary>
/// Decides from the observed kernel state whether an explicit <c>primary</c> would succeed, in the
/// order the kernel checks (<c>__is_valid_soft_transition()</c>): another Primary (SS_TWO_PRIMARIES),
/// then per volume access to UpToDate data (SS_NO_UP_TO_DATE_DISK) and quorum (SS_NO_QUORUM). The
/// quorum reason repeats DRBD's own count ("2 of 4 nodes visible, need 3 for quorum"), recomputed from
/// the observed peers with <see cref="DrbdQuorumRules"/>. Used by the agent to refuse promotion and say why.
/// </summary>
public static class DrbdPromotionRules
{
    public static DrbdPromotionDecision Decide(DrbdHostState state, string resource, DrbdQuorumSettings settings, bool allowTwoPrimaries = false) =>
        state.Find(resource) is { } observed
            ? Decide(observed, settings, allowTwoPrimaries)
            : DrbdPromotionDecision.Refuse(DrbdPromotionRefusal.UnknownResource, $"DRBD resource '{resource}' does not exist on this node");

    public static DrbdPromotionDecision Decide(DrbdObservedResource resource, DrbdQuorumSettings settings, bool allowTwoPrimaries = false)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(settings);
        if (resource.Info.Role == DrbdRole.Primary)
        {
            return DrbdPromotionDecision.Allow("already Primary");
        }
        if (resource.Devices.IsEmpty)
        {
            return DrbdPromotionDecision.Refuse(DrbdPromotionRefusal.NoVolumes, "the resource has no volumes yet");
        }
        if (resource.Info.FailIo)
        {
            return DrbdPromotionDecision.Refuse(DrbdPromotionRefusal.FailingIo, "the resource fails all I/O (force-io-failures) until every opener has closed it");
        }
        if (!allowTwoPrimaries && resource.Connections.Values.FirstOrDefault(c => c.Info.PeerRole == DrbdRole.Primary) is { } primary)
        {
            return DrbdPromotionDecision.Refuse(DrbdPromotionRefusal.AnotherPrimary,
                $"{PeerName(primary)} is Primary; demote it first (two primaries are not allowed)");
        }
        foreach (var device in resource.Devices.Values)
        {
            if (!HasUpToDateData(resource, device))
            {
                return DrbdPromotionDecision.Refuse(DrbdPromotionRefusal.NoUpToDateData,
                    $"volume {device.Volume} has no access to UpToDate data (local disk {device.Info.Disk}, no connected UpToDate peer)");
            }
            if (!device.Info.HasQuorum)
            {
                return DrbdPromotionDecision.Refuse(DrbdPromotionRefusal.NoQuorum, $"volume {device.Volume} has no quorum: {QuorumShortfall(resource, device, settings)}");
            }
        }
        return DrbdPromotionDecision.Allow("quorum, UpToDate data and no other Primary");
    }

    /// <summary>The quorum calculation as far as the observed state tells it (every peer with a connection counts as known).</summary>
    public static DrbdQuorumResult ObservedQuorum(DrbdObservedResource resource, DrbdObservedDevice device, DrbdQuorumSettings settings)
    {
        var peers = resource.Connections.Values
            .Select(c => (c.PeerNodeId, Info: c.PeerDevices.GetValueOrDefault(device.Volume)))
            .Where(p => p.Info is not null)
            .Select(p => new DrbdQuorumPeer(
                p.PeerNodeId,
                Connected: p.Info!.Replication != DrbdReplicationState.Off,
                Disk: p.Info.PeerDisk,
                IntentionalDiskless: p.Info.PeerIntentionalDiskless));
        var self = new DrbdQuorumSelf(device.Info.Disk, device.Info.IntentionalDiskless, device.Info.HasQuorum);
        return DrbdQuorumRules.Calculate(settings, self, peers);
    }

    private static string QuorumShortfall(DrbdObservedResource resource, DrbdObservedDevice device, DrbdQuorumSettings settings) =>
        ObservedQuorum(resource, device, settings).Shortfall ?? "the kernel reports quorum:no";

    private static bool HasUpToDateData(DrbdObservedResource resource, DrbdObservedDevice device) =>
        device.Info.Disk == DrbdDiskState.UpToDate
        || resource.Connections.Values.Any(c => c.PeerDevices.GetValueOrDefault(device.Volume) is
            { PeerDisk: DrbdDiskState.UpToDate, Replication: not DrbdReplicationState.Off });

    private static string PeerName(DrbdObservedConnection connection) =>
        connection.Name is { } name ? $"peer '{name}' (node id {connection.PeerNodeId})" : $"peer node id {connection.PeerNodeId}";
}
