using Fabric.Node.Drbd.Config;
using Fabric.Node.Drbd.Kernel;

namespace Fabric.Node.Drbd.Planning;

/// <summary>One call the DRBD layer makes to the driver (or to drbdmeta). Every step mutates.</summary>
public abstract record DrbdStep
{
    /// <summary>What the step does, for messages ("attach volume 0 (minor 1000)").</summary>
    public abstract string Describe();
}

public sealed record NewResourceStep(string Resource, int NodeId, DrbdResourceOptions Options) : DrbdStep
{
    public override string Describe() => $"create DRBD resource '{Resource}' as node id {NodeId}";
}

public sealed record ResourceOptionsStep(string Resource, DrbdResourceOptions Options) : DrbdStep
{
    public override string Describe() => $"set resource options of '{Resource}' (quorum {Options.Quorum?.ToString() ?? "unchanged"}, on-no-quorum {Options.OnNoQuorum?.ToString() ?? "unchanged"})";
}

public sealed record NewMinorStep(string Resource, int Volume, int Minor, bool IntentionalDiskless) : DrbdStep
{
    public override string Describe() => $"create minor {Minor} for volume {Volume}" + (IntentionalDiskless ? " (diskless)" : string.Empty);
}

/// <summary>Creates internal meta-data on the backing device when it has none; existing meta-data is kept and its activity log replayed.</summary>
public sealed record EnsureMetadataStep(int Volume, int Minor, string BackingDevice, int PeerSlots) : DrbdStep
{
    public override string Describe() => $"create DRBD meta-data on {BackingDevice} (volume {Volume}) unless present";
}

public sealed record AttachStep(int Volume, int Minor, DrbdDiskConfig Disk) : DrbdStep
{
    public override string Describe() => $"attach {Disk.BackingDevice} to minor {Minor} (volume {Volume})";
}

public sealed record DetachStep(int Volume, int Minor, bool IntentionalDiskless) : DrbdStep
{
    public override string Describe() => $"detach the disk of minor {Minor} (volume {Volume})" + (IntentionalDiskless ? " and keep it as a diskless client" : string.Empty);
}

public sealed record DeleteMinorStep(int Volume, int Minor) : DrbdStep
{
    public override string Describe() => $"delete minor {Minor} (volume {Volume})";
}

public sealed record NewPeerStep(string Resource, DrbdPeerConfig Peer, DrbdNetOptions Net) : DrbdStep
{
    public override string Describe() => $"add peer {Peer.Endpoint.NodeName} (node id {Peer.Endpoint.NodeId})";
}

/// <summary>Changed net options of an existing connection (<c>net-options</c>).</summary>
public sealed record NetOptionsStep(string Resource, int PeerNodeId, DrbdNetOptions Options) : DrbdStep
{
    public override string Describe() => $"set net options of the connection to {Options.ConnectionName} (node id {PeerNodeId})";
}

/// <summary>Changed disk options of an attached device (<c>disk-options</c>).</summary>
public sealed record DiskOptionsStep(int Volume, int Minor, DrbdDiskOptions Options) : DrbdStep
{
    public override string Describe() => $"set disk options of minor {Minor} (volume {Volume})";
}

/// <summary>
/// The peer's or this node's address changed: the connection moves to the new address pair
/// (disconnect, delete the old path, add the new one, connect; the bitmap keeps what is out of sync).
/// </summary>
public sealed record MovePathStep(string Resource, DrbdPeerConfig Peer, DrbdEndpoint OldLocal, DrbdEndpoint OldPeer, DrbdEndpoint Local) : DrbdStep
{
    public override string Describe() =>
        $"move the connection to {Peer.Endpoint.NodeName} from {OldLocal.Address}:{OldLocal.Port} -> {OldPeer.Address}:{OldPeer.Port} to {Local.Address}:{Local.Port} -> {Peer.Endpoint.Address}:{Peer.Endpoint.Port}";
}

public sealed record NewPathStep(string Resource, DrbdPeerConfig Peer, DrbdEndpoint Local) : DrbdStep
{
    public override string Describe() => $"add path {Local.Address}:{Local.Port} -> {Peer.Endpoint.Address}:{Peer.Endpoint.Port} to {Peer.Endpoint.NodeName}";
}

/// <summary>No bitmap slot for an intentionally diskless peer (DRBD 9 only).</summary>
public sealed record PeerDeviceOptionsStep(string Resource, int PeerNodeId, int Volume, DrbdPeerDeviceOptions Options) : DrbdStep
{
    public override string Describe() => $"set peer-device options of volume {Volume} towards node id {PeerNodeId}";
}

public sealed record ConnectStep(string Resource, int PeerNodeId, string PeerName) : DrbdStep
{
    public override string Describe() => $"connect to {PeerName} (node id {PeerNodeId})";
}

public sealed record DeletePeerStep(string Resource, int PeerNodeId) : DrbdStep
{
    public override string Describe() => $"remove the connection to node id {PeerNodeId} and forget it";
}

/// <summary>Grows the DRBD device to the backing device's new size (after the storage layer grew it).</summary>
public sealed record ResizeStep(int Volume, int Minor, long UsableKiB, bool AssumeClean) : DrbdStep
{
    public override string Describe() => $"resize minor {Minor} (volume {Volume}) to {UsableKiB} KiB";
}

/// <summary>
/// Makes this node's fresh data the initial UpToDate copy: on thin storage by a new current UUID
/// with a cleared bitmap (no initial sync at all), else by a forced promotion and demotion (the
/// peers then sync from this node).
/// </summary>
public sealed record InitialUpToDateStep(string Resource, IReadOnlyList<int> Minors, bool SkipInitialSync) : DrbdStep
{
    public override string Describe() => SkipInitialSync
        ? $"skip the initial sync of '{Resource}' (new current UUID, cleared bitmap)"
        : $"make '{Resource}' the initial sync source (primary --force, then secondary)";
}

public sealed record DownStep(string Resource) : DrbdStep
{
    public override string Describe() => $"take DRBD resource '{Resource}' down";
}
