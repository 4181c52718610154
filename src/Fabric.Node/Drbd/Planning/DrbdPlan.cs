namespace Fabric.Node.Drbd.Planning;

/// <summary>Facts about this node's driver and what this agent incarnation already did, which the planner cannot see in the kernel.</summary>
/// <param name="Applied">The options this incarnation has set in the driver for the resource (options are not visible in events).</param>
/// <param name="ThinBacking">The replica's backing volumes are thin (LVM_THIN, ZFS_THIN, FILE_THIN): the initial sync can be skipped.</param>
public sealed record DrbdPlanContext(DrbdApiVersion Api, DrbdAppliedOptions Applied, bool ThinBacking);

/// <summary>Why the DRBD layer cannot be made as desired; shown as the resource's error.</summary>
public sealed record DrbdPlanProblem(string Message, string Cause, string Correction);

/// <summary>The driver calls that make one resource match, in order, and a problem if part of it cannot be done.</summary>
public sealed record DrbdPlan(IReadOnlyList<DrbdStep> Steps, DrbdPlanProblem? Problem)
{
    public static readonly DrbdPlan Nothing = new([], null);

    public bool InPlace => Steps.Count == 0 && Problem is null;
}
