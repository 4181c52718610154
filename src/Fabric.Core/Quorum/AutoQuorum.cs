namespace Fabric.Core.Quorum;

/// <summary>A replica as quorum decisions see it.</summary>
public sealed record QuorumReplica(string NodeKey, bool Diskless, bool TieBreaker, bool Deleting = false, bool Inactive = false)
{
    public bool Counts => !Deleting && !Inactive;
}

/// <summary>The settings that steer auto-quorum and the auto-tiebreaker, resolved from props by the caller.</summary>
/// <param name="AutoQuorum">DrbdOptions/auto-quorum: "io-error" (default), "suspend-io" or "disabled".</param>
/// <param name="UserSetQuorum">DrbdOptions/Resource/quorum was set by a user on the resource definition, group or controller.</param>
/// <param name="AutoTiebreaker">DrbdOptions/auto-add-quorum-tiebreaker is true (the default).</param>
public sealed record QuorumPolicy(string AutoQuorum, bool UserSetQuorum, bool AutoTiebreaker)
{
    public static readonly QuorumPolicy Default = new("io-error", false, true);

    public const string AutoQuorumProp = "DrbdOptions/auto-quorum";
    public const string AutoTiebreakerProp = "DrbdOptions/auto-add-quorum-tiebreaker";
    public const string QuorumProp = "DrbdOptions/Resource/quorum";
    public const string OnNoQuorumProp = "DrbdOptions/Resource/on-no-quorum";
    public const string QuorumSetByProp = "Internal/Drbd/QuorumSetBy";
    public const string QuorumSetByAuto = "linstor";

    /// <summary>Resolves the policy from props in priority order (resource definition first, controller last).</summary>
    public static QuorumPolicy From(params IReadOnlyDictionary<string, string>?[] propsByPriority)
    {
        string? Lookup(string key) => propsByPriority.Select(p => p is not null && p.TryGetValue(key, out var v) ? v : null).FirstOrDefault(v => v is not null);

        var mode = (Lookup(AutoQuorumProp) ?? "io-error").Trim().ToLowerInvariant();
        if (mode is not ("io-error" or "suspend-io" or "disabled"))
        {
            mode = "io-error";
        }
        // The definition's own quorum prop counts as the user's unless auto-quorum wrote it.
        var definition = propsByPriority.Length > 0 ? propsByPriority[0] : null;
        var autoWrote = definition is not null && definition.TryGetValue(QuorumSetByProp, out var by) && by == QuorumSetByAuto;
        var userSet = propsByPriority.Select((p, i) => (p, i)).Any(x => x.p is not null && x.p.ContainsKey(QuorumProp) && !(x.i == 0 && autoWrote));
        var tiebreaker = !string.Equals(Lookup(AutoTiebreakerProp) ?? "true", "false", StringComparison.OrdinalIgnoreCase);
        return new QuorumPolicy(mode, userSet, tiebreaker);
    }
}

/// <summary>What auto-quorum wants on the resource definition: the two DRBD options, or nothing to change.</summary>
public sealed record QuorumSetting(string Quorum, string? OnNoQuorum);

/// <summary>What the auto-tiebreaker wants to happen to the replica set.</summary>
public abstract record TiebreakerAction
{
    public sealed record None : TiebreakerAction;

    public sealed record Add : TiebreakerAction;

    public sealed record Remove(string NodeKey) : TiebreakerAction;

    public static readonly TiebreakerAction Nothing = new None();
}

/// <summary>LINSTOR's auto-quorum and auto-tiebreaker rules as pure functions (linstor-features.md §5).</summary>
public static class QuorumRules
{
    /// <summary>Quorum is feasible with 3 or more diskful replicas, or 2 diskful and at least one diskless.</summary>
    public static bool IsFeasible(IEnumerable<QuorumReplica> replicas)
    {
        var counted = replicas.Where(r => r.Counts).ToList();
        var diskful = counted.Count(r => !r.Diskless);
        var diskless = counted.Count(r => r.Diskless);
        return diskful >= 3 || (diskful == 2 && diskless >= 1);
    }

    /// <summary>The quorum options auto-quorum sets, or null when it must leave them alone.</summary>
    public static QuorumSetting? AutoQuorum(IEnumerable<QuorumReplica> replicas, QuorumPolicy policy)
    {
        if (policy.UserSetQuorum || policy.AutoQuorum == "disabled")
        {
            return null;
        }
        return IsFeasible(replicas) ? new QuorumSetting("majority", policy.AutoQuorum) : new QuorumSetting("off", null);
    }

    /// <summary>A tiebreaker is wanted when the diskful count is even and at least 2, and no other diskless replica votes.</summary>
    public static bool TiebreakerWanted(IEnumerable<QuorumReplica> replicas)
    {
        var counted = replicas.Where(r => r.Counts).ToList();
        var diskful = counted.Count(r => !r.Diskless);
        var otherDiskless = counted.Count(r => r.Diskless && !r.TieBreaker);
        return diskful >= 2 && diskful % 2 == 0 && otherDiskless == 0;
    }

    /// <summary>Adds a tiebreaker when wanted and missing; removes one that is no longer wanted.</summary>
    public static TiebreakerAction Tiebreaker(IReadOnlyList<QuorumReplica> replicas, QuorumPolicy policy)
    {
        var existing = replicas.FirstOrDefault(r => r.TieBreaker && r.Counts);
        var wanted = policy.AutoTiebreaker && TiebreakerWanted(replicas);
        return (wanted, existing) switch
        {
            (true, null) => new TiebreakerAction.Add(),
            (false, { } tb) => new TiebreakerAction.Remove(tb.NodeKey),
            _ => TiebreakerAction.Nothing,
        };
    }
}
