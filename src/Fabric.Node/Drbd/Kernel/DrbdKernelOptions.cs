using System.Collections.Immutable;

namespace Fabric.Node.Drbd.Kernel;

/// <summary>Resource options (drbd.conf <c>options { }</c>). Null means "not given": the kernel keeps its value or default.</summary>
public sealed record DrbdResourceOptions(
    DrbdQuorum? Quorum = null,
    DrbdOnNoQuorum? OnNoQuorum = null,
    DrbdOnNoQuorum? OnNoDataAccessible = null,
    bool? AutoPromote = null,
    DrbdQuorum? QuorumMinimumRedundancy = null)
{
    public static readonly DrbdResourceOptions None = new();
}

/// <summary>Net options of one connection (drbd.conf <c>net { }</c>).</summary>
/// <param name="ConnectionName">The peer's node name, shown as conn-name in events.</param>
/// <param name="Protocol">Wire protocol: 'A', 'B' or 'C'.</param>
public sealed record DrbdNetOptions(
    string ConnectionName,
    char Protocol = 'C',
    string? SharedSecret = null,
    string? CramHmacAlg = null,
    bool? AllowTwoPrimaries = null,
    string? VerifyAlg = null,
    DrbdNetTimeouts? Timeouts = null);

/// <summary>
/// How DRBD decides a peer is gone (drbd.conf net options; null keeps the driver's default). Slow
/// or stalling hosts (a VM under emulation) need longer ones than DRBD's defaults.
/// </summary>
/// <param name="TimeoutDs">timeout: tenths of a second a request may wait for the peer (default 60).</param>
/// <param name="ConnectIntS">connect-int: seconds between connection attempts (default 10).</param>
/// <param name="PingIntS">ping-int: seconds of silence before a ping (default 10).</param>
/// <param name="PingTimeoutDs">ping-timeout: tenths of a second a ping may take (default 5).</param>
/// <param name="KoCount">ko-count: timeouts before a stalled peer is dropped (default 7; 0 never).</param>
public sealed record DrbdNetTimeouts(int? TimeoutDs = null, int? ConnectIntS = null, int? PingIntS = null, int? PingTimeoutDs = null, int? KoCount = null)
{
    public bool IsEmpty => TimeoutDs is null && ConnectIntS is null && PingIntS is null && PingTimeoutDs is null && KoCount is null;
}

/// <summary>Disk options (drbd.conf <c>disk { }</c>) that Fabric sets; everything else stays at the kernel's default.</summary>
public sealed record DrbdDiskOptions(
    bool? DiskFlushes = null,
    bool? MdFlushes = null,
    int? AlExtents = null,
    long? ResyncRateKiB = null,
    int? CPlanAhead = null)
{
    public static readonly DrbdDiskOptions None = new();
}

/// <summary>What <c>attach</c> needs: the backing device and where the meta-data lives.</summary>
/// <param name="MetaDevice">Null: internal meta-data on <paramref name="BackingDevice"/>.</param>
public sealed record DrbdDiskConfig(string BackingDevice, string? MetaDevice, DrbdDiskOptions Options)
{
    public bool InternalMetaData => MetaDevice is null;
}

/// <summary>Peer-device options (drbd.conf per-connection <c>disk { }</c>; DRBD 9 only).</summary>
/// <param name="Bitmap">False for an intentionally diskless peer: no bitmap slot is kept for it.</param>
public sealed record DrbdPeerDeviceOptions(bool? Bitmap = null, long? ResyncRateKiB = null, int? CPlanAhead = null);

/// <summary>What the driver is: its API, version text and the operations it knows.</summary>
/// <param name="Version">The module version, e.g. "8.4.11" or "9.2.12"; "simulated" for the simulated kernel.</param>
public sealed record DrbdKernelInfo(DrbdApiVersion Api, string Version, ImmutableSortedSet<int> SupportedCommands)
{
    /// <summary>DRBD 9 features the agent must not use on 8.4: quorum, node ids, more than one peer, diskless clients.</summary>
    public bool IsDrbd9 => Api == DrbdApiVersion.V2;
}
