namespace Fabric.Node.Drbd.Netlink;

/// <summary>
/// Maps the numbers in DRBD's info structs onto the DRBD 9 enums of <c>DrbdStates.cs</c>.
/// API 2 uses those numbers already. API 1 (8.4) differs: its disk states lack Detaching (2), so
/// Failed..UpToDate are one lower; its connection state is one combined <c>enum drbd_conns</c>
/// (8 WFConnection, 9 WFReportParams, 10 Connected, 11 StartingSyncS … 23 Behind) that splits into
/// a connection state and a replication state (the 8.4 driver reports peer_repl_state as
/// max(WFReportParams, conn), and from 10 on the numbers equal DRBD 9's replication states).
/// Values a newer driver may add map to the nearest "unknown" value rather than failing.
/// </summary>
public static class DrbdStateMapping
{
    public static DrbdRole Role(uint value) => value is 1 or 2 ? (DrbdRole)value : DrbdRole.Unknown;

    public static DrbdDiskState Disk(DrbdApiVersion api, uint value)
    {
        if (api == DrbdApiVersion.V1 && value >= 2)
        {
            value++;
        }
        return value <= (uint)DrbdDiskState.UpToDate ? (DrbdDiskState)value : DrbdDiskState.DUnknown;
    }

    public static DrbdConnectionState Connection(DrbdApiVersion api, uint value)
    {
        if (api == DrbdApiVersion.V1)
        {
            return value switch
            {
                <= 7 => (DrbdConnectionState)value,
                8 or 9 => DrbdConnectionState.Connecting,
                <= 23 => DrbdConnectionState.Connected,
                _ => DrbdConnectionState.Unconnected,
            };
        }
        return value <= (uint)DrbdConnectionState.Connected ? (DrbdConnectionState)value : DrbdConnectionState.Unconnected;
    }

    public static DrbdReplicationState Replication(DrbdApiVersion api, uint value)
    {
        // Below Off (9) nothing replicates. API 1 reports at least 9 (WFReportParams, no handshake
        // yet), which is Off; its 10 (Connected) is DRBD 9's Established; 11..23 are equal.
        return value < (uint)DrbdReplicationState.Off ? DrbdReplicationState.Off
            : value <= (uint)DrbdReplicationState.Behind ? (DrbdReplicationState)value : DrbdReplicationState.Off;
    }

    /// <summary>API 1: whether the 8.4 connection state means a socket to the peer exists (≥ WFReportParams).</summary>
    public static bool V1HasSocket(uint connectionState) => connectionState is >= 9 and <= 23;
}
