namespace Fabric.Node.Drbd.Config;

/// <summary>
/// Pure: the DRBD 8.4 form of a two-node configuration, the syntax drbdadm-84 (for the in-tree
/// 8.4 driver) accepts: <c>protocol</c> at resource level, <c>net</c> and <c>disk</c>, and per node
/// <c>device /dev/drbdM minor M; disk ...; address ...; meta-disk internal;</c> (inside
/// <c>volume N { }</c> blocks when the resource has other volumes than a single volume 0). No node
/// ids, connections or quorum: 8.4 has none. Refuses what 8.4 cannot do.
/// </summary>
public static class Drbd84ResFileRenderer
{
    /// <summary>drbdsetup-84's upper limit for resync-rate (KiB/s).</summary>
    public const long MaxResyncRateKiB = 4194304;

    public static DrbdConfigResult<string> Render(DrbdResourceConfig config)
    {
        if (Refusal(config) is { } refusal)
        {
            return refusal;
        }
        var peer = config.Peers[0];
        var text = new DrbdConfText();
        text.Header(config.Local.NodeName, "DRBD 8.4");
        if (config.ResourceOptions.OnNoQuorum is { } ignored)
        {
            text.Line(0, $"# on-no-quorum {DrbdConfText.OnNoQuorum(ignored)} is not written: DRBD 8.4 has no quorum (and quorum is off).");
        }
        text.Line(0);
        text.Open(0, $"resource {DrbdConfText.Quote(config.Name)}");
        text.Line(1, $"protocol {config.Protocol};");
        var options = config.ResourceOptions.OnNoDataAccessible is { } onNoData
            ? new List<string> { $"on-no-data-accessible {DrbdConfText.OnNoQuorum(onNoData)};" }
            : [];
        text.Section(1, "options", options);
        text.Section(1, "net", DrbdConfText.NetLines(config, withProtocol: false));
        text.Section(1, "disk", DrbdConfText.DiskLines(config.DiskOptions));
        text.Line(1);
        OnSection(text, config, config.Local, v => config.Diskless ? "none" : DrbdResFileRenderer.LocalDisk(config, v));
        text.Line(1);
        OnSection(text, config, peer.Endpoint, _ => peer.Diskless ? "none" : DrbdResFileRenderer.UnusedPeerDisk);
        text.Close(0);
        return DrbdConfigResult<string>.Ok(text.ToString());
    }

    private static DrbdConfigError? Refusal(DrbdResourceConfig config)
    {
        var rsc = config.Name;
        const string Use9 = "Render the DRBD 9 form (drop ?format=8.4), or run DRBD 9 on the nodes.";
        if (config.Peers.Count != 1)
        {
            return new DrbdConfigError(
                $"Resource '{rsc}' has {config.Peers.Count + 1} {(config.Peers.Count == 0 ? "replica" : "replicas")}; the DRBD 8.4 form needs exactly two.",
                "DRBD 8.4 replicates between exactly two nodes.",
                config.Peers.Count == 0 ? "Add a second replica, or use the DRBD 9 form." : Use9);
        }
        var peer = config.Peers[0];
        if (config.Diskless && peer.Diskless)
        {
            return new DrbdConfigError($"Both replicas of resource '{rsc}' are diskless.", "A DRBD 8.4 resource needs at least one node with a disk.", "Make one replica diskful.");
        }
        if (peer.TieBreaker)
        {
            return new DrbdConfigError(
                $"Resource '{rsc}' has the tiebreaker '{peer.Endpoint.NodeName}'.",
                "Tiebreakers serve DRBD 9's quorum; DRBD 8.4 has no quorum.",
                Use9);
        }
        var options = config.ResourceOptions;
        if (options.Quorum is { IsOff: false } || options.QuorumMinimumRedundancy is { IsOff: false })
        {
            return new DrbdConfigError(
                $"Resource '{rsc}' has quorum enabled (quorum {options.Quorum?.ToString() ?? "off"}, quorum-minimum-redundancy {options.QuorumMinimumRedundancy?.ToString() ?? "off"}).",
                "DRBD 8.4 has no quorum.",
                $"Set {DrbdOptionKeys.Quorum} and {DrbdOptionKeys.QuorumMinimumRedundancy} to off, or use the DRBD 9 form.");
        }
        if (options.AutoPromote == true)
        {
            return new DrbdConfigError($"Resource '{rsc}' asks for auto-promote.", "DRBD 8.4 cannot promote automatically.", $"Set {DrbdOptionKeys.AutoPromote} to no, or use the DRBD 9 form.");
        }
        if (config.DiskOptions.ResyncRateKiB > MaxResyncRateKiB)
        {
            return new DrbdConfigError(
                $"Resource '{rsc}' asks for a resync-rate of {config.DiskOptions.ResyncRateKiB} KiB/s.",
                $"DRBD 8.4 accepts at most {MaxResyncRateKiB} KiB/s.",
                $"Lower {DrbdOptionKeys.ResyncRate}.");
        }
        return null;
    }

    private static void OnSection(DrbdConfText text, DrbdResourceConfig config, DrbdEndpoint node, Func<DrbdVolumeConfig, string> disk)
    {
        text.Open(1, $"on {DrbdConfText.Quote(node.NodeName)}");
        var flat = config.Volumes is [{ Volume: 0 }];
        if (!flat)
        {
            text.Line(2, $"address     {DrbdConfText.Address(node)};");
        }
        foreach (var volume in config.Volumes)
        {
            var depth = flat ? 2 : 3;
            if (!flat)
            {
                text.Open(2, $"volume {DrbdConfText.Number(volume.Volume)}");
            }
            text.Line(depth, $"device      {volume.DevicePath} minor {DrbdConfText.Number(volume.Minor)};");
            text.Line(depth, $"disk        {disk(volume)};");
            if (flat)
            {
                text.Line(depth, $"address     {DrbdConfText.Address(node)};");
            }
            text.Line(depth, "meta-disk   internal;");
            if (!flat)
            {
                text.Close(2);
            }
        }
        text.Close(1);
    }
}
