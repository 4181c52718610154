using System.Net;

namespace Fabric.Node.Drbd.Kernel;

/// <summary>What a notification says about its object (DRBD's <c>nh_type</c> without the CONTINUES flag).</summary>
public enum DrbdNotificationKind
{
    Exists = 0,
    Create = 1,
    Change = 2,
    Destroy = 3,
    Call = 4,
    Response = 5,
    Rename = 6,
}

/// <summary>
/// One kernel notification, decoded and normalised to DRBD 9's model (an 8.4 driver's per-device
/// role and combined connection state are mapped by the codec). Info records are null on Destroy.
/// </summary>
public abstract record DrbdNotification(DrbdNotificationKind Kind, string Resource);

/// <param name="Suspended">Suspended by the user (<c>suspend-io</c>).</param>
public sealed record DrbdResourceInfo(DrbdRole Role, bool Suspended, bool SuspendedNoData, bool SuspendedFencing, bool SuspendedQuorum, bool FailIo);

public sealed record DrbdResourceNotification(DrbdNotificationKind Kind, string Resource, DrbdResourceInfo? Info, string? NewName = null)
    : DrbdNotification(Kind, Resource);

/// <param name="SizeKiB">The device's size (from the statistics), when the notification carried it.</param>
public sealed record DrbdDeviceInfo(DrbdDiskState Disk, bool IntentionalDiskless, bool HasQuorum, bool IsOpen, string? BackingDevice, long? SizeKiB = null);

public sealed record DrbdDeviceNotification(DrbdNotificationKind Kind, string Resource, int Volume, int Minor, DrbdDeviceInfo? Info)
    : DrbdNotification(Kind, Resource);

/// <param name="PeerRole">The peer's role as this node sees it (Unknown while not connected).</param>
public sealed record DrbdConnectionInfo(DrbdConnectionState State, DrbdRole PeerRole);

public sealed record DrbdConnectionNotification(DrbdNotificationKind Kind, string Resource, int PeerNodeId, string? ConnectionName, DrbdConnectionInfo? Info)
    : DrbdNotification(Kind, Resource);

/// <param name="OutOfSyncKiB">What still differs from the peer (statistics); with <paramref name="ResyncTotalKiB"/> it gives the sync percentage.</param>
/// <param name="UuidFlags">peer_dev_uuid_flags; bit 0x8 (UUID_FLAG_STABLE) marks a stable UpToDate peer.</param>
public sealed record DrbdPeerDeviceInfo(
    DrbdReplicationState Replication,
    DrbdDiskState PeerDisk,
    bool PeerIntentionalDiskless,
    bool ResyncSuspended,
    long? OutOfSyncKiB = null,
    long? ResyncTotalKiB = null,
    long? ResyncFailedKiB = null,
    ulong? UuidFlags = null);

public sealed record DrbdPeerDeviceNotification(DrbdNotificationKind Kind, string Resource, int PeerNodeId, string? ConnectionName, int Volume, DrbdPeerDeviceInfo? Info)
    : DrbdNotification(Kind, Resource);

public sealed record DrbdPathNotification(DrbdNotificationKind Kind, string Resource, int PeerNodeId, IPEndPoint? Local, IPEndPoint? Peer, bool Established)
    : DrbdNotification(Kind, Resource);

/// <summary>A user-mode helper the kernel calls (Call) or that returned (Response, with its exit status).</summary>
public sealed record DrbdHelperNotification(DrbdNotificationKind Kind, string Resource, string Helper, int? Volume, int? PeerNodeId, int? Status)
    : DrbdNotification(Kind, Resource);

/// <summary>
/// Notifications that belong together. <see cref="IsInitialState"/>: a complete picture of every
/// DRBD object on the host (the initial-state dump, or a re-dump after events were lost) that
/// replaces whatever the receiver knew. Otherwise one atomic state change, in kernel order.
/// </summary>
public sealed record DrbdEventBatch(bool IsInitialState, IReadOnlyList<DrbdNotification> Notifications)
{
    public static DrbdEventBatch Initial(IReadOnlyList<DrbdNotification> notifications) => new(true, notifications);

    public static DrbdEventBatch Change(params DrbdNotification[] notifications) => new(false, notifications);
}
