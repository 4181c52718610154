using System.Net;
using Fabric.Node.Drbd.Kernel;
using Fabric.Node.Drbd.Quorum;

namespace Fabric.Node.Drbd.Simulated;

/// <summary>One simulated host: its DRBD objects (lost at power-off), its meta-data (kept) and its subscribers.</summary>
internal sealed class SimNode(string name, SimulatedDrbdMetadata metadata)
{
    public string Name { get; } = name;

    public SimulatedDrbdMetadata Metadata { get; } = metadata;

    public bool PoweredOn { get; set; } = true;

    public SortedDictionary<string, SimResource> Resources { get; } = new(StringComparer.Ordinal);

    public List<SimulatedSubscription> Subscriptions { get; } = [];

    /// <summary>What the subscribers were last told, per resource.</summary>
    public Dictionary<string, SimulatedResourceView> Views { get; } = new(StringComparer.Ordinal);

    public SimDevice? Minor(int minor) =>
        Resources.Values.SelectMany(r => r.Devices.Values).FirstOrDefault(d => d.Minor == minor);
}

/// <summary>A DRBD resource on one node.</summary>
internal sealed class SimResource(string name, int nodeId)
{
    public string Name { get; } = name;

    public int NodeId { get; } = nodeId;

    public DrbdQuorum Quorum { get; set; } = DrbdQuorum.Off;

    public DrbdQuorum MinimumRedundancy { get; set; } = DrbdQuorum.Off;

    public DrbdOnNoQuorum OnNoQuorum { get; set; } = DrbdOnNoQuorum.SuspendIo;

    public DrbdOnNoQuorum OnNoDataAccessible { get; set; } = DrbdOnNoQuorum.IoError;

    public bool AutoPromote { get; set; } = true;

    public DrbdRole Role { get; set; } = DrbdRole.Secondary;

    public bool SuspendedByUser { get; set; }

    public bool SuspendedForQuorum { get; set; }

    public SortedDictionary<int, SimDevice> Devices { get; } = [];

    public SortedDictionary<int, SimConnection> Connections { get; } = [];

    public DrbdQuorumSettings QuorumSettings => new(Quorum, MinimumRedundancy);

    public void Apply(DrbdResourceOptions options)
    {
        Quorum = options.Quorum ?? Quorum;
        MinimumRedundancy = options.QuorumMinimumRedundancy ?? MinimumRedundancy;
        OnNoQuorum = options.OnNoQuorum ?? OnNoQuorum;
        OnNoDataAccessible = options.OnNoDataAccessible ?? OnNoDataAccessible;
        AutoPromote = options.AutoPromote ?? AutoPromote;
    }
}

/// <summary>A device (volume) of a resource: its disk, its attached meta-data and its quorum.</summary>
internal sealed class SimDevice(int volume, int minor, bool intentionalDiskless)
{
    public int Volume { get; } = volume;

    public int Minor { get; } = minor;

    public bool IntentionalDiskless { get; set; } = intentionalDiskless;

    public DrbdDiskState Disk { get; set; } = DrbdDiskState.Diskless;

    public string? BackingDevice { get; set; }

    public SimulatedMetadataRecord? Metadata { get; set; }

    public DrbdDiskOptions DiskOptions { get; set; } = DrbdDiskOptions.None;

    public long SizeKiB { get; set; }

    public bool HasQuorum { get; set; }

    public bool RealQuorum { get; set; }

    public DrbdQuorumResult? LastQuorum { get; set; }

    /// <summary>A detach in progress ends as an intentionally diskless client (<c>detach --diskless</c>).</summary>
    public bool DetachToClient { get; set; }

    /// <summary>Attached with meta-data (any state past Attaching).</summary>
    public bool HasDisk => Metadata is not null && Disk > DrbdDiskState.Attaching;
}

/// <summary>A connection to one peer node id, with its paths and peer devices.</summary>
internal sealed class SimConnection(int peerNodeId, DrbdNetOptions net)
{
    public int PeerNodeId { get; } = peerNodeId;

    public DrbdNetOptions Net { get; set; } = net;

    public List<(IPEndPoint Local, IPEndPoint Peer)> Paths { get; } = [];

    public DrbdConnectionState State { get; set; } = DrbdConnectionState.StandAlone;

    public DrbdRole PeerRole { get; set; } = DrbdRole.Unknown;

    public SortedDictionary<int, SimPeerDevice> PeerDevices { get; } = [];

    /// <summary>connect --discard-my-data: this side gives up its data if the handshake finds a split brain.</summary>
    public bool DiscardMyData { get; set; }

    /// <summary>The admin asked for this connection (connect was called and no disconnect since).</summary>
    public bool Wanted => State is not (DrbdConnectionState.StandAlone or DrbdConnectionState.Disconnecting);

    public bool Connected => State == DrbdConnectionState.Connected;
}

/// <summary>One volume towards one peer.</summary>
internal sealed class SimPeerDevice(int volume)
{
    public int Volume { get; } = volume;

    public DrbdReplicationState Replication { get; set; } = DrbdReplicationState.Off;

    public DrbdDiskState PeerDisk { get; set; } = DrbdDiskState.DUnknown;

    public bool PeerClient { get; set; }

    public bool PeerQuorate { get; set; }

    public bool PeerStable { get; set; }

    /// <summary>Connected at least once (what counts for quorum when there is no meta-data to remember it).</summary>
    public bool Seen { get; set; }

    public long ResyncTotalKiB { get; set; }

    public DrbdPeerDeviceOptions Options { get; set; } = new();

    /// <summary>The peer is configured or known to be intentionally diskless.</summary>
    public bool PeerIntentionallyDiskless => PeerClient || Options.Bitmap == false;

    public bool Syncing => Replication is DrbdReplicationState.SyncSource or DrbdReplicationState.SyncTarget;
}
