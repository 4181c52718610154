namespace Fabric.Node.Drbd.Config;

/// <summary>Which drbd.conf dialect to write.</summary>
public enum DrbdResFileFormat
{
    /// <summary>DRBD 9: node ids, per-host volumes, one connection per peer, quorum options.</summary>
    Drbd9,

    /// <summary>DRBD 8.4 (the in-tree driver; drbdadm-84): two nodes, addresses in the <c>on</c> sections.</summary>
    Drbd84,
}

/// <summary>
/// Pure: a <see cref="DrbdResourceConfig"/> → the <c>.res</c> file its node would run, in
/// LINSTOR's layout (ConfFileBuilder): header comment, <c>options</c>, <c>net</c>, <c>disk</c>, one
/// <c>on</c> section per node (local first, then peers by name), one <c>connection</c> per peer.
/// No time stamp, so the same configuration always renders the same text.
/// The <c>tiebreaker</c> volume keyword is never written: drbd-utils 9.22 (Debian 12) rejects it
/// with a parse error; LINSTOR writes it only for drbd-utils ≥ 9.34 and DRBD ≥ 9.3.1. DRBD's default
/// (a diskless peer may break ties) applies; the renderer leaves a comment where it would stand.
/// </summary>
public static class DrbdResFileRenderer
{
    /// <summary>LINSTOR's disk path for a diskful peer (drbdadm needs one; only the peer's own file names the real device).</summary>
    public const string UnusedPeerDisk = "/dev/drbd/this/is/not/used";

    /// <summary>Why the renderer leaves the <c>tiebreaker</c> keyword out (a comment in the file).</summary>
    public const string TiebreakerComment = "not written: drbd-utils 9.22 rejects the keyword (it needs drbd-utils >= 9.34 and DRBD >= 9.3.1)";

    /// <summary>Renders the dialect asked for; only the 8.4 form can refuse (more than two nodes, quorum, ...).</summary>
    public static DrbdConfigResult<string> Render(DrbdResourceConfig config, DrbdResFileFormat format) =>
        format == DrbdResFileFormat.Drbd84 ? Drbd84ResFileRenderer.Render(config) : DrbdConfigResult<string>.Ok(Render(config));

    /// <summary>The DRBD 9 form.</summary>
    public static string Render(DrbdResourceConfig config)
    {
        var text = new DrbdConfText();
        text.Header(config.Local.NodeName, "DRBD 9");
        text.Line(0, $"# The volume keyword 'tiebreaker' is {TiebreakerComment}; DRBD's default applies.");
        text.Line(0);
        text.Open(0, $"resource {DrbdConfText.Quote(config.Name)}");
        text.Section(1, "options", OptionLines(config));
        text.Section(1, "net", DrbdConfText.NetLines(config, withProtocol: true));
        text.Section(1, "disk", DrbdConfText.DiskLines(config.DiskOptions));

        text.Line(1);
        OnSection(text, config, config.Local, config.Diskless, peer: null);
        foreach (var peer in config.Peers)
        {
            text.Line(1);
            OnSection(text, config, peer.Endpoint, peer.Diskless, peer);
        }
        foreach (var peer in config.Peers)
        {
            text.Line(1);
            if (config.Diskless && peer.Diskless)
            {
                text.Line(1, $"# no connection to {DrbdConfText.Quote(peer.Endpoint.NodeName)}: both replicas are diskless");
                continue;
            }
            text.Open(1, "connection");
            text.Line(2, $"host {DrbdConfText.Quote(config.Local.NodeName)} address {DrbdConfText.Address(config.Local)};");
            text.Line(2, $"host {DrbdConfText.Quote(peer.Endpoint.NodeName)} address {DrbdConfText.Address(peer.Endpoint)};");
            text.Close(1);
        }
        text.Close(0);
        return text.ToString();
    }

    /// <summary>The local backing device of a diskful replica (the builder guarantees one).</summary>
    internal static string LocalDisk(DrbdResourceConfig config, DrbdVolumeConfig volume) =>
        volume.BackingDevice ?? throw new ArgumentException(
            $"Volume {volume.Volume} of the diskful replica of '{config.Name}' on '{config.Local.NodeName}' has no backing device; build the configuration with DrbdConfigBuilder.",
            nameof(config));

    private static List<string> OptionLines(DrbdResourceConfig config)
    {
        var options = config.ResourceOptions;
        var lines = new List<string>();
        if (options.Quorum is { } quorum)
        {
            lines.Add($"quorum {quorum};");
        }
        if (options.OnNoQuorum is { } onNoQuorum)
        {
            lines.Add($"on-no-quorum {DrbdConfText.OnNoQuorum(onNoQuorum)};");
        }
        if (options.OnNoDataAccessible is { } onNoData)
        {
            lines.Add($"on-no-data-accessible {DrbdConfText.OnNoQuorum(onNoData)};");
        }
        if (options.AutoPromote is { } autoPromote)
        {
            lines.Add($"auto-promote {DrbdConfText.YesNo(autoPromote)};");
        }
        if (options.QuorumMinimumRedundancy is { } redundancy)
        {
            lines.Add($"quorum-minimum-redundancy {redundancy};");
        }
        return lines;
    }

    private static void OnSection(DrbdConfText text, DrbdResourceConfig config, DrbdEndpoint node, bool diskless, DrbdPeerConfig? peer)
    {
        text.Open(1, $"on {DrbdConfText.Quote(node.NodeName)}");
        foreach (var volume in config.Volumes)
        {
            var disk = diskless ? "none" : peer is null ? LocalDisk(config, volume) : UnusedPeerDisk;
            text.Open(2, $"volume {DrbdConfText.Number(volume.Volume)}");
            text.Line(3, $"disk        {disk};");
            if (peer is { Diskless: true })
            {
                text.Line(3, $"# tiebreaker {DrbdConfText.YesNo(peer.TieBreaker)};   # {TiebreakerComment}");
            }
            text.Line(3, "meta-disk   internal;");
            text.Line(3, $"device      minor {DrbdConfText.Number(volume.Minor)};");
            text.Close(2);
        }
        text.Line(2, $"node-id    {DrbdConfText.Number(node.NodeId)};");
        text.Close(1);
    }
}
