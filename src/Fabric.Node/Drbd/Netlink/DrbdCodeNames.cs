using System.Collections.Frozen;
using System.Globalization;

namespace Fabric.Node.Drbd.Netlink;

/// <summary>
/// Readable names for DRBD's reply codes: <c>enum drbd_ret_code</c> (ERR_*, &gt; 100) and
/// <c>enum drbd_state_rv</c> (SS_*, ≤ 4). Both enums are append-only, so one table serves 8.4
/// and DRBD 9. The meanings are short paraphrases for operators.
/// </summary>
public static class DrbdCodeNames
{
    private static readonly FrozenDictionary<int, (string Name, string Meaning)> Codes = new Dictionary<int, (string, string)>
    {
        [4] = ("SS_CW_NO_NEED", "cluster-wide change not needed"),
        [3] = ("SS_CW_SUCCESS", "cluster-wide change succeeded"),
        [2] = ("SS_NOTHING_TO_DO", "already in that state"),
        [1] = ("SS_SUCCESS", "state change succeeded"),
        [0] = ("SS_UNKNOWN_ERROR", "state change failed for an unknown reason"),
        [-1] = ("SS_TWO_PRIMARIES", "two primaries are not allowed by the configuration"),
        [-2] = ("SS_NO_UP_TO_DATE_DISK", "no access to UpToDate data"),
        [-4] = ("SS_NO_LOCAL_DISK", "needs a local disk"),
        [-5] = ("SS_NO_REMOTE_DISK", "needs a disk on the peer"),
        [-6] = ("SS_CONNECTED_OUTDATES", "cannot be outdated while connected"),
        [-7] = ("SS_PRIMARY_NOP", "cannot become primary while the peer is not outdated"),
        [-8] = ("SS_RESYNC_RUNNING", "a resync or online verify is already running"),
        [-9] = ("SS_ALREADY_STANDALONE", "the connection is already StandAlone"),
        [-10] = ("SS_CW_FAILED_BY_PEER", "the peer refused the state change"),
        [-11] = ("SS_IS_DISKLESS", "the device is diskless but the operation needs a disk"),
        [-12] = ("SS_DEVICE_IN_USE", "the device is held open"),
        [-13] = ("SS_NO_NET_CONFIG", "no network configuration"),
        [-14] = ("SS_NO_VERIFY_ALG", "online verify needs a verify algorithm"),
        [-15] = ("SS_NEED_CONNECTION", "needs a connection"),
        [-16] = ("SS_LOWER_THAN_OUTDATED", "the disk state is lower than Outdated"),
        [-17] = ("SS_NOT_SUPPORTED", "the peer does not support this"),
        [-18] = ("SS_IN_TRANSIENT_STATE", "in a transient state; retry after the next state change"),
        [-19] = ("SS_CONCURRENT_ST_CHG", "a concurrent state change interfered"),
        [-20] = ("SS_O_VOL_PEER_PRI", "another volume is primary on the peer"),
        [-21] = ("SS_INTERRUPTED", "the state change was interrupted"),
        [-22] = ("SS_PRIMARY_READER", "a peer cannot become primary while the device is open read-only"),
        [-23] = ("SS_TIMEOUT", "the state change timed out"),
        [-24] = ("SS_WEAKLY_CONNECTED", "primaries must be connected to each other"),
        [-25] = ("SS_NO_QUORUM", "no quorum"),
        [-26] = ("SS_ATTACH_NO_BITMAP", "no free bitmap slot in the meta-data"),
        [-27] = ("SS_HANDSHAKE_DISCONNECT", "disconnected during the handshake"),
        [-28] = ("SS_HANDSHAKE_RETRY", "the handshake must be retried"),
        [100] = ("ERR_CODE_BASE", "no result"),
        [101] = ("NO_ERROR", "success"),
        [102] = ("ERR_LOCAL_ADDR", "the local address or port is already in use"),
        [103] = ("ERR_PEER_ADDR", "the peer address or port is already in use"),
        [104] = ("ERR_OPEN_DISK", "cannot open the backing device"),
        [105] = ("ERR_OPEN_MD_DISK", "cannot open the meta-data device"),
        [107] = ("ERR_DISK_NOT_BDEV", "the backing device is not a block device"),
        [108] = ("ERR_MD_NOT_BDEV", "the meta-data device is not a block device"),
        [111] = ("ERR_DISK_TOO_SMALL", "the backing device is smaller than the requested size"),
        [112] = ("ERR_MD_DISK_TOO_SMALL", "the meta-data device is too small"),
        [114] = ("ERR_BDCLAIM_DISK", "the backing device is claimed by someone else (mounted?)"),
        [115] = ("ERR_BDCLAIM_MD_DISK", "the meta-data device is claimed by someone else"),
        [116] = ("ERR_MD_IDX_INVALID", "invalid meta-data index"),
        [118] = ("ERR_IO_MD_DISK", "I/O error while reading the meta-data"),
        [119] = ("ERR_MD_INVALID", "no valid meta-data; create it with drbdmeta create-md"),
        [120] = ("ERR_AUTH_ALG", "the cram-hmac-alg is unknown to the kernel"),
        [121] = ("ERR_AUTH_ALG_ND", "the cram-hmac-alg is not a digest"),
        [122] = ("ERR_NOMEM", "the kernel is out of memory"),
        [123] = ("ERR_DISCARD_IMPOSSIBLE", "discard-my-data is not allowed while primary"),
        [124] = ("ERR_DISK_CONFIGURED", "the device already has a disk; detach first"),
        [125] = ("ERR_NET_CONFIGURED", "the connection is already configured; disconnect first"),
        [126] = ("ERR_MANDATORY_TAG", "a required attribute is missing or an attribute is not understood"),
        [127] = ("ERR_MINOR_INVALID", "unknown minor"),
        [129] = ("ERR_INTR", "interrupted by a signal"),
        [130] = ("ERR_RESIZE_RESYNC", "cannot resize during a resync"),
        [131] = ("ERR_NO_PRIMARY", "resizing needs a primary"),
        [132] = ("ERR_RESYNC_AFTER", "invalid resync-after minor"),
        [133] = ("ERR_RESYNC_AFTER_CYCLE", "resync-after would create a cycle"),
        [134] = ("ERR_PAUSE_IS_SET", "sync is already paused"),
        [135] = ("ERR_PAUSE_IS_CLEAR", "sync is not paused"),
        [137] = ("ERR_PACKET_NR", "the kernel does not know this request (API mismatch?)"),
        [138] = ("ERR_NO_DISK", "the device has no disk"),
        [139] = ("ERR_NOT_PROTO_C", "needs protocol C"),
        [140] = ("ERR_NOMEM_BITMAP", "not enough memory for the bitmap"),
        [141] = ("ERR_INTEGRITY_ALG", "the data-integrity-alg is unknown to the kernel"),
        [142] = ("ERR_INTEGRITY_ALG_ND", "the data-integrity-alg is not a digest"),
        [143] = ("ERR_CPU_MASK_PARSE", "invalid cpu-mask"),
        [144] = ("ERR_CSUMS_ALG", "the csums-alg is unknown to the kernel"),
        [145] = ("ERR_CSUMS_ALG_ND", "the csums-alg is not a digest"),
        [146] = ("ERR_VERIFY_ALG", "the verify-alg is unknown to the kernel"),
        [147] = ("ERR_VERIFY_ALG_ND", "the verify-alg is not a digest"),
        [148] = ("ERR_CSUMS_RESYNC_RUNNING", "cannot change csums-alg during a resync"),
        [149] = ("ERR_VERIFY_RUNNING", "cannot change verify-alg during online verify"),
        [150] = ("ERR_DATA_NOT_CURRENT", "can only attach to the data generation lost last"),
        [151] = ("ERR_CONNECTED", "must be StandAlone"),
        [152] = ("ERR_PERM", "permission denied (needs CAP_SYS_ADMIN)"),
        [153] = ("ERR_NEED_APV_93", "needs protocol version 93"),
        [154] = ("ERR_STONITH_AND_PROT_A", "resource-and-stonith fencing needs protocol B or C"),
        [155] = ("ERR_CONG_NOT_PROTO_A", "on-congestion pull-ahead needs protocol A"),
        [156] = ("ERR_PIC_AFTER_DEP", "sync pause is caused by a resync-after dependency"),
        [157] = ("ERR_PIC_PEER_DEP", "sync pause is caused by the peer"),
        [158] = ("ERR_RES_NOT_KNOWN", "unknown resource"),
        [159] = ("ERR_RES_IN_USE", "the resource still has volumes; delete its minors first"),
        [160] = ("ERR_MINOR_CONFIGURED", "the minor is still configured; take it down first"),
        [161] = ("ERR_MINOR_OR_VOLUME_EXISTS", "the minor or volume already exists"),
        [162] = ("ERR_INVALID_REQUEST", "invalid configuration request"),
        [163] = ("ERR_NEED_APV_100", "changing these net options while connected needs protocol version 100"),
        [164] = ("ERR_NEED_ALLOW_TWO_PRI", "cannot clear allow-two-primaries while both sides are primary"),
        [165] = ("ERR_MD_UNCLEAN", "unclean meta-data; run drbdmeta apply-al"),
        [166] = ("ERR_MD_LAYOUT_CONNECTED", "changing the meta-data layout online needs a connection"),
        [167] = ("ERR_MD_LAYOUT_TOO_BIG", "the resulting activity log is too big"),
        [168] = ("ERR_MD_LAYOUT_TOO_SMALL", "the resulting activity log is too small"),
        [169] = ("ERR_MD_LAYOUT_NO_FIT", "the activity log does not fit the meta-data area"),
        [170] = ("ERR_IMPLICIT_SHRINK", "implicit shrinking is not allowed (see the kernel log)"),
        [171] = ("ERR_INVALID_PEER_NODE_ID", "invalid peer node id"),
        [172] = ("ERR_CREATE_TRANSPORT", "cannot create the transport"),
        [173] = ("ERR_LOCAL_AND_PEER_ADDR", "the local and the peer address are the same"),
        [174] = ("ERR_ALREADY_EXISTS", "the object already exists"),
        [175] = ("ERR_APV_TOO_LOW", "the peer's protocol version is too low"),
        [176] = ("ERR_PATH_COLLISION", "the path collides with an existing one"),
    }.ToFrozenDictionary();

    /// <summary>E.g. "SS_NO_QUORUM (no quorum)"; unknown codes are named by number.</summary>
    public static string Describe(int code) => Codes.TryGetValue(code, out var c)
        ? $"{c.Name} ({c.Meaning})"
        : code > 100
            ? $"ERR_{code.ToString(CultureInfo.InvariantCulture)} (error code unknown to this agent; the DRBD module is newer)"
            : $"SS_{code.ToString(CultureInfo.InvariantCulture)} (state change result unknown to this agent; the DRBD module is newer)";

    /// <summary>Just the symbolic name, e.g. "ERR_MD_INVALID".</summary>
    public static string Name(int code) => Codes.TryGetValue(code, out var c) ? c.Name : code.ToString(CultureInfo.InvariantCulture);

    /// <summary>Whether a reply's ret_code means the request succeeded (NO_ERROR, SS_SUCCESS and the other positive SS results).</summary>
    public static bool IsSuccess(int code) => code == DrbdCommands.NoError || code is >= 1 and <= 4;
}
