using Fabric.Node.Drbd.Kernel;

namespace Fabric.Node.Drbd.Simulated;

/// <summary>The DRBD reply codes the simulated kernel answers with, named and explained as drbdsetup does.</summary>
internal static class SimulatedDrbdErrors
{
    public const int ErrDiskTooSmall = 111;
    public const int ErrBdClaimDisk = 114;
    public const int ErrMdInvalid = 119;
    public const int ErrDiskConfigured = 124;
    public const int ErrNetConfigured = 125;
    public const int ErrMinorInvalid = 127;
    public const int ErrResizeResync = 130;
    public const int ErrNoDisk = 138;
    public const int ErrResNotKnown = 158;
    public const int ErrResInUse = 159;
    public const int ErrMinorConfigured = 160;
    public const int ErrMinorOrVolumeExists = 161;
    public const int ErrInvalidRequest = 162;
    public const int ErrInvalidPeerNodeId = 171;
    public const int ErrAlreadyExists = 174;
    public const int SsTwoPrimaries = -1;
    public const int SsNoUpToDateDisk = -2;
    public const int SsNoQuorum = -25;

    /// <summary>ENODEV: the node is powered off, so there is no DRBD driver to talk to.</summary>
    public const int Enodev = 19;

    private static readonly Dictionary<int, string> Names = new()
    {
        [ErrDiskTooSmall] = "ERR_DISK_TOO_SMALL (low.dev. smaller than requested DRBD-dev. size)",
        [ErrBdClaimDisk] = "ERR_BDCLAIM_DISK (the backing device is in use by another minor)",
        [ErrMdInvalid] = "ERR_MD_INVALID (no valid meta-data signature found; create the meta-data first)",
        [ErrDiskConfigured] = "ERR_DISK_CONFIGURED (device is attached to a disk; detach first)",
        [ErrNetConfigured] = "ERR_NET_CONFIGURED (the peer still has a connection; delete it first)",
        [ErrMinorInvalid] = "ERR_MINOR_INVALID (device minor not allocated)",
        [ErrResizeResync] = "ERR_RESIZE_RESYNC (resize not allowed during resync)",
        [ErrNoDisk] = "ERR_NO_DISK (device does not have a disk)",
        [ErrResNotKnown] = "ERR_RES_NOT_KNOWN (unknown resource)",
        [ErrResInUse] = "ERR_RES_IN_USE (resource still in use; delete all minors and peers first)",
        [ErrMinorConfigured] = "ERR_MINOR_CONFIGURED (minor still configured; detach it first)",
        [ErrMinorOrVolumeExists] = "ERR_MINOR_OR_VOLUME_EXISTS (minor or volume exists already)",
        [ErrInvalidRequest] = "ERR_INVALID_REQUEST (invalid configuration request)",
        [ErrInvalidPeerNodeId] = "ERR_INVALID_PEER_NODE_ID (invalid peer node id)",
        [ErrAlreadyExists] = "ERR_ALREADY_EXISTS (already exists)",
        [SsTwoPrimaries] = "SS_TWO_PRIMARIES (multiple primaries not allowed by config)",
        [SsNoUpToDateDisk] = "SS_NO_UP_TO_DATE_DISK (need access to UpToDate data)",
        [SsNoQuorum] = "SS_NO_QUORUM (no quorum)",
    };

    public static DrbdKernelException Fail(string operation, string subject, int code, string? infoText = null) =>
        new(operation, subject, code, Names.GetValueOrDefault(code, $"code {code}"), infoText);

    public static DrbdKernelException PoweredOff(string operation, string node) =>
        new(operation, $"node '{node}'", 0, "ENODEV (no DRBD driver: the simulated node is powered off; power it on first)", null, Enodev);
}
