namespace Fabric.Node.Drbd.Simulated;

/// <summary>What a test write to a simulated DRBD device did.</summary>
public enum SimulatedWriteResult
{
    /// <summary>Written locally and/or replicated; peers that were not reachable are marked out of sync.</summary>
    Ok,

    /// <summary>Failed with EIO: no quorum under on-no-quorum io-error, or no UpToDate data under on-no-data-accessible io-error.</summary>
    IoError,

    /// <summary>Frozen: the resource is suspended (on-no-quorum suspend-io, or suspended by the user).</summary>
    Suspended,

    /// <summary>The resource is not Primary on this node (a real open for writing would get EROFS).</summary>
    ReadOnly,
}
