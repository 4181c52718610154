using Fabric.Node.Storage;

namespace Fabric.Node.Reconcile;

/// <summary>A volume the agent found on its host, in one of its pools (by pool key).</summary>
public sealed record VolumeObservation(string PoolKey, ProvidedVolume Volume);

/// <summary>One change to the host's block devices. Every step mutates; a plan without steps runs nothing.</summary>
public abstract record ReconcileStep(string PoolKey, VolumeId Volume)
{
    /// <summary>What the step does, for messages; <paramref name="poolName"/> is the pool's display name.</summary>
    public abstract string Describe(string poolName);
}

public sealed record CreateVolumeStep(string PoolKey, VolumeId Volume, long SizeKiB) : ReconcileStep(PoolKey, Volume)
{
    public override string Describe(string poolName) => $"create volume {Volume.VolumeNumber} ({SizeKiB} KiB) in pool '{poolName}'";
}

public sealed record ActivateVolumeStep(string PoolKey, VolumeId Volume) : ReconcileStep(PoolKey, Volume)
{
    public override string Describe(string poolName) => $"activate volume {Volume.VolumeNumber} in pool '{poolName}'";
}

public sealed record ResizeVolumeStep(string PoolKey, VolumeId Volume, long SizeKiB) : ReconcileStep(PoolKey, Volume)
{
    public override string Describe(string poolName) => $"grow volume {Volume.VolumeNumber} to {SizeKiB} KiB in pool '{poolName}'";
}

public sealed record DeleteVolumeStep(string PoolKey, VolumeId Volume) : ReconcileStep(PoolKey, Volume)
{
    public override string Describe(string poolName) => $"delete volume {Volume.VolumeNumber} in pool '{poolName}'";
}

/// <summary>Why a resource cannot be reconciled as desired (no step can fix it); shown as its error.</summary>
public sealed record PlanProblem(string Message, string Cause, string Correction);

/// <summary>The steps that make one resource match, in order, and a problem if part of it cannot be done.</summary>
public sealed record ReconcilePlan(IReadOnlyList<ReconcileStep> Steps, PlanProblem? Problem)
{
    public bool InPlace => Steps.Count == 0 && Problem is null;
}
