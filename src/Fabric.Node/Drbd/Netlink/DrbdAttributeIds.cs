namespace Fabric.Node.Drbd.Netlink;

/// <summary>Top-level attribute ids (each a nested struct) of the "drbd" family.</summary>
public static class DrbdTla
{
    public const ushort CfgReply = 1;
    public const ushort CfgContext = 2;
    public const ushort DiskConf = 3;
    public const ushort ResourceOpts = 4;
    public const ushort NetConf = 5;
    public const ushort SetRoleParms = 6;
    public const ushort ResizeParms = 7;
    public const ushort NewCurrentUuidParms = 10;
    public const ushort DisconnectParms = 12;
    public const ushort DetachParms = 13;
    public const ushort DeviceConf = 14;
    public const ushort ResourceInfo = 15;
    public const ushort DeviceInfo = 16;
    public const ushort ConnectionInfo = 17;
    public const ushort PeerDeviceInfo = 18;
    public const ushort ResourceStatistics = 19;
    public const ushort DeviceStatistics = 20;
    public const ushort ConnectionStatistics = 21;
    public const ushort PeerDeviceStatistics = 22;
    public const ushort NotificationHeader = 23;
    public const ushort Helper = 24;
    public const ushort ForgetPeerParms = 26;
    public const ushort PeerDeviceOpts = 27;
    public const ushort PathParms = 28;
    public const ushort ConnectParms = 29;
    public const ushort PathInfo = 30;
    public const ushort RenameResourceInfo = 32;
}

/// <summary>Field ids inside the nested structs, with the maximum lengths DRBD declares for strings.</summary>
public static class DrbdField
{
    public const int ResourceNameMax = 128;
    public const int DevicePathMax = 128;
    public const int SharedSecretMax = 64;

    public const ushort ReplyInfoText = 1;

    public const ushort CtxVolume = 1;
    public const ushort CtxResourceName = 2;
    public const ushort CtxMyAddr = 3;
    public const ushort CtxPeerAddr = 4;
    public const ushort CtxConnName = 5;
    public const ushort CtxPeerNodeId = 6;

    public const ushort DiskBackingDev = 1;
    public const ushort DiskMetaDev = 2;
    public const ushort DiskMetaDevIdx = 3;
    public const ushort DiskAlExtents = 10;
    public const ushort DiskFlushes = 17;
    public const ushort DiskMdFlushes = 19;

    /// <summary>8.4 only: resync_rate lived in disk_conf (DRBD 9 moved it to peer_device_conf).</summary>
    public const ushort DiskV1ResyncRate = 8;

    /// <summary>8.4 only: c_plan_ahead lived in disk_conf.</summary>
    public const ushort DiskV1CPlanAhead = 11;

    public const ushort ResOnNoData = 2;
    public const ushort ResAutoPromote = 3;
    public const ushort ResNodeId = 4;
    public const ushort ResQuorum = 11;
    public const ushort ResOnNoQuorum = 12;
    public const ushort ResQuorumMinRedundancy = 13;

    public const ushort NetSharedSecret = 1;
    public const ushort NetCramHmacAlg = 2;
    public const ushort NetVerifyAlg = 4;
    public const ushort NetWireProtocol = 6;
    public const ushort NetConnectInt = 7;
    public const ushort NetTimeout = 8;
    public const ushort NetPingInt = 9;
    public const ushort NetPingTimeout = 10;
    public const ushort NetKoCount = 13;
    public const ushort NetTwoPrimaries = 24;

    /// <summary>8.4 only: "connect --discard-my-data" was a net_conf field (DRBD 9: connect_parms).</summary>
    public const ushort NetV1DiscardMyData = 25;

    /// <summary>DRBD 9 only: the connection name (conn-name in events).</summary>
    public const ushort NetName = 31;

    /// <summary>DRBD 9: force; 8.4: assume_uptodate (same id, same meaning for primary).</summary>
    public const ushort RoleForce = 1;

    public const ushort ResizeSize = 1;
    public const ushort ResizeNoResync = 3;

    public const ushort NewCurrentUuidClearBitmap = 1;

    public const ushort DisconnectForce = 1;

    public const ushort DetachForce = 1;
    public const ushort DetachIntentionalDiskless = 2;

    public const ushort DeviceIntentionalDiskless = 2;

    public const ushort ForgetPeerNodeId = 1;

    public const ushort PeerDeviceResyncRate = 1;
    public const ushort PeerDeviceCPlanAhead = 2;
    public const ushort PeerDeviceBitmap = 7;

    public const ushort PathMyAddr = 1;
    public const ushort PathPeerAddr = 2;

    public const ushort ConnectDiscardMyData = 2;

    public const ushort ResourceInfoRole = 1;
    public const ushort ResourceInfoSuspended = 2;
    public const ushort ResourceInfoSuspendedNoData = 3;
    public const ushort ResourceInfoSuspendedFencing = 4;
    public const ushort ResourceInfoSuspendedQuorum = 5;
    public const ushort ResourceInfoFailIo = 6;

    public const ushort DeviceInfoDiskState = 1;
    public const ushort DeviceInfoIntentionalDiskless = 2;
    public const ushort DeviceInfoHasQuorum = 3;
    public const ushort DeviceInfoBackingDev = 4;
    public const ushort DeviceInfoIsOpen = 5;

    public const ushort ConnectionInfoState = 1;
    public const ushort ConnectionInfoRole = 2;

    public const ushort PeerInfoReplicationState = 1;
    public const ushort PeerInfoDiskState = 2;
    public const ushort PeerInfoResyncSuspendedUser = 3;
    public const ushort PeerInfoResyncSuspendedPeer = 4;
    public const ushort PeerInfoResyncSuspendedDependency = 5;
    public const ushort PeerInfoIntentionalDiskless = 6;
    public const ushort PeerInfoResyncSuspendedMaxParallel = 7;

    public const ushort DeviceStatSize = 1;

    public const ushort PeerStatOutOfSync = 5;
    public const ushort PeerStatResyncFailed = 6;
    public const ushort PeerStatResyncTotal = 10;
    public const ushort PeerStatUuidFlags = 24;

    public const ushort NotificationType = 1;

    public const ushort HelperName = 1;
    public const ushort HelperStatus = 2;

    public const ushort PathInfoEstablished = 1;

    public const ushort RenameNewName = 1;
}
