namespace Fabric.Node.Drbd;

/// <summary>Which generic-netlink API the DRBD driver speaks: 1 = DRBD 8.4 (in-tree), 2 = DRBD 9.</summary>
public enum DrbdApiVersion
{
    V1 = 1,
    V2 = 2,
}

/// <summary>A resource's (or a peer's) role. DRBD 8.4's per-device role is folded into the resource.</summary>
public enum DrbdRole
{
    Unknown = 0,
    Primary = 1,
    Secondary = 2,
}

/// <summary>Disk states with DRBD 9's names and numbers (8.4 values are mapped onto these by the codec).</summary>
public enum DrbdDiskState
{
    Diskless = 0,
    Attaching = 1,
    Detaching = 2,
    Failed = 3,
    Negotiating = 4,
    Inconsistent = 5,
    Outdated = 6,
    DUnknown = 7,
    Consistent = 8,
    UpToDate = 9,
}

/// <summary>Connection states with DRBD 9's names and numbers (8.4's combined enum is split by the codec).</summary>
public enum DrbdConnectionState
{
    StandAlone = 0,
    Disconnecting = 1,
    Unconnected = 2,
    Timeout = 3,
    BrokenPipe = 4,
    NetworkFailure = 5,
    ProtocolError = 6,
    TearDown = 7,
    Connecting = 8,
    Connected = 9,
}

/// <summary>Replication states of a peer device with DRBD 9's names and numbers.</summary>
public enum DrbdReplicationState
{
    Off = 9,
    Established = 10,
    StartingSyncS = 11,
    StartingSyncT = 12,
    WFBitMapS = 13,
    WFBitMapT = 14,
    WFSyncUUID = 15,
    SyncSource = 16,
    SyncTarget = 17,
    VerifyS = 18,
    VerifyT = 19,
    PausedSyncS = 20,
    PausedSyncT = 21,
    Ahead = 22,
    Behind = 23,
}

/// <summary>DRBD's quorum setting: off, majority, all, or a node count.</summary>
public readonly record struct DrbdQuorum(int Value)
{
    public const int OffValue = 0;
    public const int MajorityValue = 1024;
    public const int AllValue = 1025;

    public static DrbdQuorum Off => new(OffValue);

    public static DrbdQuorum Majority => new(MajorityValue);

    public static DrbdQuorum All => new(AllValue);

    public bool IsOff => Value == OffValue;

    /// <summary>Parses drbd.conf's spelling: off, majority, all or 1..32.</summary>
    public static bool TryParse(string? text, out DrbdQuorum quorum)
    {
        quorum = Off;
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "" or "off":
                return text is not null;
            case "majority":
                quorum = Majority;
                return true;
            case "all":
                quorum = All;
                return true;
            default:
                if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 32)
                {
                    quorum = new DrbdQuorum(n);
                    return true;
                }
                return false;
        }
    }

    public override string ToString() => Value switch
    {
        OffValue => "off",
        MajorityValue => "majority",
        AllValue => "all",
        _ => Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>What DRBD does with I/O when it has no quorum (or no data): fail it, or freeze it.</summary>
public enum DrbdOnNoQuorum
{
    IoError = 0,
    SuspendIo = 1,
}
