namespace Fabric.Node.Drbd.Netlink;

/// <summary>
/// <c>genlmsghdr.cmd</c> values of the "drbd" generic-netlink family (linux/drbd_genl.h). Requests
/// and notifications share one number space; 1 and 2 exist only in 8.4 (API 1), 42–50 only in
/// DRBD 9 (API 2).
/// </summary>
public static class DrbdCommands
{
    public const string FamilyName = "drbd";
    public const string EventsGroup = "events";

    /// <summary>8.4's old-style state broadcast; carries its own sequence counter, so it is ignored.</summary>
    public const byte Event = 1;
    public const byte GetStatus = 2;
    public const byte NewMinor = 5;
    public const byte DelMinor = 6;
    public const byte NewResource = 7;
    public const byte DelResource = 8;
    public const byte ResourceOpts = 9;
    public const byte Connect = 10;
    public const byte Disconnect = 11;
    public const byte Attach = 12;
    public const byte Resize = 13;
    public const byte Primary = 14;
    public const byte Secondary = 15;
    public const byte NewCurrentUuid = 16;
    public const byte StartOnlineVerify = 17;
    public const byte Detach = 18;
    public const byte Invalidate = 19;
    public const byte InvalidatePeer = 20;
    public const byte PauseSync = 21;
    public const byte ResumeSync = 22;
    public const byte SuspendIo = 23;
    public const byte ResumeIo = 24;
    public const byte Outdate = 25;
    public const byte GetTimeoutType = 26;
    public const byte Down = 27;
    public const byte ChangeDiskOpts = 28;
    public const byte ChangeNetOpts = 29;
    public const byte GetResources = 30;
    public const byte GetDevices = 31;
    public const byte GetConnections = 32;
    public const byte GetPeerDevices = 33;
    public const byte ResourceState = 34;
    public const byte DeviceState = 35;
    public const byte ConnectionState = 36;
    public const byte PeerDeviceState = 37;
    public const byte GetInitialState = 38;
    public const byte Helper = 40;
    public const byte InitialStateDone = 41;
    public const byte ForgetPeer = 42;
    public const byte ChangePeerDeviceOpts = 43;
    public const byte NewPeer = 44;
    public const byte NewPath = 45;
    public const byte DelPeer = 46;
    public const byte DelPath = 47;
    public const byte PathState = 48;
    public const byte RenameResource = 49;
    public const byte GetPaths = 50;

    /// <summary><c>drbd_genlmsghdr.minor</c> of requests that address a resource or connection.</summary>
    public const uint NoMinor = 0xFFFFFFFF;

    /// <summary>DRBD_GENL_F_SET_DEFAULTS: reset every option not given to its default.</summary>
    public const int FlagSetDefaults = 1;

    /// <summary>NOTIFY_CONTINUES: more messages of the same atomic state change follow.</summary>
    public const uint NotifyContinues = 0x8000;

    /// <summary>NOTIFY_FLAGS: the flag bits of nh_type.</summary>
    public const uint NotifyFlags = 0x8000;

    /// <summary>The value of a DRBD reply's ret_code that means success for configuration requests.</summary>
    public const int NoError = 101;

    /// <summary>DRBD_MD_INDEX_FLEX_EXT: external meta-data of flexible size.</summary>
    public const int MetaIndexFlexibleExternal = -2;

    /// <summary>DRBD_MD_INDEX_FLEX_INT: internal meta-data (what drbdsetup sends for "internal").</summary>
    public const int MetaIndexFlexibleInternal = -3;
}
