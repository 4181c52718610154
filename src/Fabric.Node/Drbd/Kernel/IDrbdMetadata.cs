namespace Fabric.Node.Drbd.Kernel;

/// <summary>
/// DRBD's on-disk meta-data, which lives outside netlink: <c>drbdmeta</c> on a real host (v08
/// format for 8.4, v09 for DRBD 9), an in-memory store for the simulated kernel.
/// </summary>
public interface IDrbdMetadata
{
    /// <summary>True when <paramref name="device"/> carries valid DRBD meta-data (internal).</summary>
    Task<bool> HasMetadataAsync(int minor, string device, CancellationToken cancellationToken);

    /// <summary>
    /// Replays the activity log into the bitmap (drbdmeta <c>apply-al</c>), as <c>drbdadm up</c> does
    /// before every attach: meta-data left by a crash or power loss is "unclean" and the driver
    /// refuses to attach it (ERR_MD_UNCLEAN) until this ran.
    /// </summary>
    Task ApplyActivityLogAsync(int minor, string device, CancellationToken cancellationToken);

    /// <summary>Creates internal meta-data with <paramref name="peerSlots"/> bitmap slots (ignored on 8.4), overwriting any.</summary>
    Task CreateMetadataAsync(int minor, string device, int peerSlots, CancellationToken cancellationToken);
}
