namespace Fabric.Node.Drbd.Config;

/// <summary>
/// The LINSTOR props (namespace <c>DrbdOptions/</c>) that Fabric turns into DRBD options. LINSTOR
/// names them after drbdsetup's option groups: <c>Resource</c> = resource options, <c>Net</c> =
/// net (peer) options, <c>Disk</c> = disk (attach) options, <c>PeerDevice</c> = peer-device
/// options (DRBD 9 moved resync-rate and c-plan-ahead there; both spellings are read).
/// Other <c>DrbdOptions/*</c> props are not rendered.
/// </summary>
public static class DrbdOptionKeys
{
    public const string Quorum = "DrbdOptions/Resource/quorum";
    public const string OnNoQuorum = "DrbdOptions/Resource/on-no-quorum";
    public const string OnNoDataAccessible = "DrbdOptions/Resource/on-no-data-accessible";
    public const string AutoPromote = "DrbdOptions/Resource/auto-promote";
    public const string QuorumMinimumRedundancy = "DrbdOptions/Resource/quorum-minimum-redundancy";

    /// <summary>LINSTOR's older controller prop for on-no-quorum (io-error | suspend-io | disabled), read when the Resource one is absent.</summary>
    public const string AutoQuorum = "DrbdOptions/auto-quorum";

    public const string Protocol = "DrbdOptions/Net/protocol";
    public const string AllowTwoPrimaries = "DrbdOptions/Net/allow-two-primaries";
    public const string VerifyAlg = "DrbdOptions/Net/verify-alg";
    public const string CramHmacAlg = "DrbdOptions/Net/cram-hmac-alg";
    public const string Timeout = "DrbdOptions/Net/timeout";
    public const string ConnectInt = "DrbdOptions/Net/connect-int";
    public const string PingInt = "DrbdOptions/Net/ping-int";
    public const string PingTimeout = "DrbdOptions/Net/ping-timeout";
    public const string KoCount = "DrbdOptions/Net/ko-count";

    public const string DiskFlushes = "DrbdOptions/Disk/disk-flushes";
    public const string MdFlushes = "DrbdOptions/Disk/md-flushes";
    public const string AlExtents = "DrbdOptions/Disk/al-extents";
    public const string ResyncRate = "DrbdOptions/PeerDevice/resync-rate";
    public const string ResyncRateDisk = "DrbdOptions/Disk/resync-rate";
    public const string CPlanAhead = "DrbdOptions/PeerDevice/c-plan-ahead";
    public const string CPlanAheadDisk = "DrbdOptions/Disk/c-plan-ahead";

    /// <summary>LINSTOR's (and DRBD's) HMAC for peer authentication when nothing else is set.</summary>
    public const string DefaultCramHmacAlg = "sha1";
}
