using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Naming;
using Fabric.Core.Protocol;
using Fabric.Node.Storage;

namespace Fabric.Node.Reconcile;

/// <summary>
/// The pure diff of one resource: what must happen on this host so that its volumes match the
/// desired replica. No I/O, no clock; the agent executes the steps.
/// </summary>
public static class Reconciler
{
    /// <summary>
    /// Plans one resource. <paramref name="desired"/> null means the node must not host it: every
    /// observed volume is deleted. Volumes are grown, never shrunk. Volumes in other pools than the
    /// replica's, or with numbers that are not desired, are deleted after the desired ones are in place.
    /// </summary>
    public static ReconcilePlan Plan(
        string resourceName,
        DesiredResource? desired,
        IReadOnlyDictionary<string, DesiredPool> pools,
        IReadOnlyCollection<VolumeObservation> observed)
    {
        var steps = new List<ReconcileStep>();
        PlanProblem? problem = null;
        var keep = new HashSet<(string Pool, int Volume)>();
        if (desired is not null && !desired.Diskless)
        {
            var poolKey = Names.Key(desired.StoragePool);
            if (!pools.TryGetValue(poolKey, out var pool))
            {
                problem = new PlanProblem(
                    $"Resource '{desired.Name}' needs storage pool '{desired.StoragePool}', which this node does not have.",
                    $"The node's desired state lists no pool '{desired.StoragePool}'.",
                    $"Create storage pool '{desired.StoragePool}' on this node, or move the replica to a node that has it.");
            }
            else if (pool.Kind != ProviderKind.Diskless)
            {
                foreach (var volume in desired.Volumes)
                {
                    var id = new VolumeId(desired.Name, volume.VolumeNumber);
                    var size = GrossSizeKiB(desired, volume);
                    keep.Add((poolKey, volume.VolumeNumber));
                    var found = observed.FirstOrDefault(o => o.PoolKey == poolKey && o.Volume.Id.VolumeNumber == volume.VolumeNumber);
                    if (found is null)
                    {
                        steps.Add(new CreateVolumeStep(poolKey, id, size));
                        continue;
                    }
                    if (found.Volume.DevicePath is null)
                    {
                        steps.Add(new ActivateVolumeStep(poolKey, found.Volume.Id));
                    }
                    if (found.Volume.UsableKiB < size)
                    {
                        steps.Add(new ResizeVolumeStep(poolKey, found.Volume.Id, size));
                    }
                }
            }
        }
        foreach (var extra in observed.Where(o => !keep.Contains((o.PoolKey, o.Volume.Id.VolumeNumber))).OrderBy(o => o.PoolKey, StringComparer.Ordinal).ThenBy(o => o.Volume.Id.VolumeNumber))
        {
            steps.Add(new DeleteVolumeStep(extra.PoolKey, new VolumeId(extra.Volume.Id.ResourceName, extra.Volume.Id.VolumeNumber)));
        }
        return new ReconcilePlan(steps, problem);
    }

    /// <summary>
    /// The size of the backing volume for a desired volume: its net size, plus DRBD's internal
    /// meta-data (sized for the definition's peer slots, DRBD 9's format) when DRBD is on top.
    /// </summary>
    public static long GrossSizeKiB(DesiredResource resource, DesiredVolume volume) =>
        resource.HasDrbd && !resource.Diskless
            ? Fabric.Node.Drbd.Config.DrbdMetadataSize.GrossKiB(volume.SizeKiB, resource.Drbd?.PeerSlots ?? 7)
            : volume.SizeKiB;

    /// <summary>What REST shows as the volume's disk state, from what the agent knows.</summary>
    public static string DiskState(DesiredResource? desired, DesiredVolume volume, VolumeObservation? observed, bool failing)
    {
        if (desired is null)
        {
            return "Deleting";
        }
        if (desired.Diskless)
        {
            return "Diskless";
        }
        if (observed is { Volume.DevicePath: not null } && observed.Volume.UsableKiB >= GrossSizeKiB(desired, volume))
        {
            return "UpToDate";
        }
        return failing ? "Failed" : "Creating";
    }
}
