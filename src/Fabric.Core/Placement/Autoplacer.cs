using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Naming;

namespace Fabric.Core.Placement;

/// <summary>
/// A pure, deterministic autoplacer modelled on LINSTOR's (<c>AC/autoplacer/</c>): filter nodes and pools,
/// rate the remaining pools, then select the best valid set of pools.
/// </summary>
/// <remarks>
/// <para><b>Filters</b> (each removal is reported as an <see cref="Exclusion"/>), node level, in this order:
/// node offline; node evacuating; node already has a replica of the resource; <c>node_name_list</c>;
/// node prop <c>AutoplaceTarget=false</c>; <c>layer_stack</c> not supported; <c>not_place_with_rsc</c>;
/// <c>not_place_with_rsc_regex</c> (case-insensitive, whole-name match, like LINSTOR's <c>Matcher.matches</c>);
/// <c>replicas_on_same</c>; <c>replicas_on_different</c> and <c>x_replicas_on_different</c> against existing replicas;
/// no diskful pool. Pool level: <c>storage_pool</c>; <c>provider_list</c>; pool prop <c>AutoplaceTarget=false</c>;
/// no capacity reported; free space; <c>Autoplacer/MinThinFreeSpace</c>; provider mixing with existing replicas;
/// shared space already used by an existing replica. DISKLESS pools are never diskful candidates and are skipped silently.</para>
/// <para><b>Free-space rule</b> (LINSTOR's <c>FreeCapacityAutoPoolSelectorUtils</c>, with one ratio):
/// a pool whose free capacity is unknown is excluded ("no capacity reported"). A fat pool (LVM, ZFS, FILE) needs
/// <c>FreeKiB ≥ SizeKiB</c>. A thin pool (LVM_THIN, ZFS_THIN, FILE_THIN) needs
/// <c>min(FreeKiB·R, TotalKiB·R − ReservedKiB) ≥ SizeKiB</c> with R = <c>MaxOversubscriptionRatio</c>
/// (only <c>FreeKiB·R</c> when the total is unknown), and is also excluded when <c>TotalKiB &gt; 0</c> and
/// <c>FreeKiB &lt; MinThinFreeSpacePercent % · TotalKiB</c>.</para>
/// <para><b>Constraint semantics.</b> Only existing <i>diskful</i> replicas take part in the replica constraints
/// (same / different / x-different, provider mixing, shared space); any existing replica, diskful or not, keeps
/// its node from getting another one. <c>replicas_on_same</c>: <c>key=value</c> requires that value on the node;
/// a bare <c>key</c> requires the key and one common value among all diskful replicas (pinned by the existing
/// ones; existing replicas with different values make the placement undecidable). <c>replicas_on_different</c>:
/// <c>key=value</c> excludes nodes with that value and also makes <c>key</c> a distinctness key; no two
/// replicas may share a value of a distinctness key. A node lacking the key counts as having its own unique
/// value (so it never conflicts). <c>x_replicas_on_different</c> <c>key → max</c>: at most <c>max</c> (at least 1)
/// replicas per value, nodes lacking the key again count as unique. Provider mixing follows LINSTOR §2.2: without
/// <c>AllowMixingStoragePoolDriver</c> every diskful replica uses the same provider kind; with it, kinds of one
/// family mix (LVM/LVM_THIN, ZFS/ZFS_THIN, FILE/FILE_THIN). At most one diskful replica per shared-space name.</para>
/// <para><b>Rating</b>: per pool, each strategy's raw value (free KiB, reserved KiB, resource count) divided by the
/// highest positive value among the remaining candidate pools, times its weight; minimising strategies subtract.</para>
/// <para><b>Selection</b> is exact: among all valid sets of the needed size (one pool per node) it returns one with
/// the maximal total score; among equal scores, the first in the order (score desc, node key, pool key).
/// It is a depth-first branch and bound over the candidates sorted by score: a branch is cut when its sum plus
/// the best <i>k</i> remaining scores (a prefix-sum window, O(1)) cannot beat the best set found so far, and since
/// those windows only shrink, the whole loop stops there. Candidates that conflict with the partial set are skipped.
/// Cost: O(P log P) for sorting P pools plus the search, which is O(P·k) when the greedy path is optimal and
/// bounded by O(C(P, k)·k) in the worst case (k = replicas to place). Cheap counting checks catch the common
/// impossible cases (too few nodes, too few distinct values of a different-key) before searching.</para>
/// </remarks>
public static class Autoplacer
{
    public const string DrbdDiskless = "DRBD_DISKLESS";
    public const string AutoplaceTargetProp = "AutoplaceTarget";
    public const string DefaultDisklessPool = "DfltDisklessStorPool";

    private const double Epsilon = 1e-12;

    private static readonly ImmutableHashSet<string> DefaultLayers = ImmutableHashSet.Create(StringComparer.OrdinalIgnoreCase, "DRBD", "STORAGE");

    public static PlacementOutcome Place(
        PlacementRequest request, IReadOnlyList<CandidateNode> nodes, IReadOnlyList<ExistingReplica> existing, PlacementSettings settings)
    {
        var rsc = request.ResourceName;
        if (request.DisklessType is { } dt && !string.Equals(dt.Trim(), DrbdDiskless, StringComparison.OrdinalIgnoreCase))
        {
            return new PlacementOutcome.NotPlaced(
                $"Cannot place '{rsc}': diskless_type '{dt}' is not supported.",
                $"Fabric only creates DRBD diskless replicas; '{dt}' is not supported.",
                $"Omit diskless_type or use '{DrbdDiskless}'.",
                []);
        }

        Regex? regex;
        try
        {
            regex = CompileRegex(request.NotPlaceWithRscRegex);
        }
        catch (ArgumentException ex)
        {
            return new PlacementOutcome.NotPlaced(
                $"Cannot place '{rsc}': not_place_with_rsc_regex '{request.NotPlaceWithRscRegex}' is not a valid regular expression.",
                ex.Message,
                "Correct the not_place_with_rsc_regex pattern.",
                []);
        }

        var existingDiskful = existing.Where(e => !e.Diskless).ToList();
        int target = request.AdditionalPlaceCount is { } add
            ? existingDiskful.Count + add
            : request.PlaceCount ?? PlacementRequest.DefaultPlaceCount;
        int needed = target - existingDiskful.Count;
        if (needed <= 0)
        {
            return new PlacementOutcome.NothingToDo(
                $"Resource '{rsc}' already has {existingDiskful.Count} diskful replica(s); the place count {target} is satisfied.");
        }

        var ctx = new Context(request, nodes, existing, settings, regex);
        if (ctx.SameConflict is { } conflict)
        {
            return new PlacementOutcome.NotPlaced(
                $"Cannot place '{rsc}': its existing replicas disagree on replicas_on_same({conflict.Key}).",
                $"replicas_on_same({conflict.Key}): the existing replicas have the values {string.Join(", ", conflict.Values)}.",
                $"Remove the replicas that do not share one value of '{conflict.Key}', or relax replicas_on_same.",
                []);
        }

        var exclusions = ImmutableList.CreateBuilder<Exclusion>();
        var raw = new List<(CandidateNode Node, CandidatePool Pool)>();
        foreach (var node in nodes.OrderBy(n => Names.Key(n.Name), StringComparer.Ordinal))
        {
            if (ctx.NodeReject(node) is { } nodeReject)
            {
                exclusions.Add(new Exclusion(node.Name, null, nodeReject.Constraint, nodeReject.Detail));
                continue;
            }

            var diskful = node.Pools.Where(p => p.Kind != ProviderKind.Diskless).OrderBy(p => Names.Key(p.PoolName), StringComparer.Ordinal).ToList();
            if (diskful.Count == 0)
            {
                exclusions.Add(new Exclusion(node.Name, null, "no diskful storage pool", "the node has only diskless pools"));
                continue;
            }

            foreach (var pool in diskful)
            {
                if (ctx.PoolReject(pool) is { } poolReject)
                    exclusions.Add(new Exclusion(node.Name, pool.PoolName, poolReject.Constraint, poolReject.Detail));
                else
                    raw.Add((node, pool));
            }
        }

        var candidates = Rate(raw, settings);
        int candidateNodes = candidates.Select(c => c.NodeKey).Distinct().Count();
        List<Candidate>? best = candidateNodes >= needed && ctx.CountingFeasible(candidates, needed)
            ? Search(candidates, needed, ctx)
            : null;

        if (best is null)
            return NotPlaced(request, needed, existingDiskful.Count, candidates, candidateNodes, exclusions.ToImmutable(), ctx);

        var chosenKeys = best.Select(c => c.NodeKey).ToHashSet();
        var disklessReplicas = request.DisklessOnRemaining
            ? DisklessOnRemaining(request, nodes, chosenKeys, ctx, regex)
            : [];
        return new PlacementOutcome.Placed(
            best.Select(c => new PlacedReplica(c.Node.Name, c.Pool.PoolName, c.Pool.Kind, false)).ToImmutableList(),
            disklessReplicas,
            best.Sum(c => c.Score));
    }

    public static PlacedReplica? PlaceTiebreaker(
        string resourceName, IReadOnlyList<CandidateNode> nodes, IReadOnlyList<ExistingReplica> existing, ImmutableList<string> disklessPools)
    {
        var rscKey = Names.Key(resourceName);
        var occupied = existing.Select(e => Names.Key(e.NodeName)).ToHashSet();
        return nodes
            .Where(n => n.Online && !n.Evacuating && !occupied.Contains(Names.Key(n.Name)) && !n.ResourceKeys.Contains(rscKey))
            .Select(n => (Node: n, Pool: DisklessPoolOf(n, disklessPools)))
            .Where(x => x.Pool is not null)
            .OrderBy(x => x.Node.ResourceKeys.Count)
            .ThenBy(x => Names.Key(x.Node.Name), StringComparer.Ordinal)
            .Select(x => new PlacedReplica(x.Node.Name, x.Pool!.PoolName, ProviderKind.Diskless, true))
            .FirstOrDefault();
    }

    /// <summary>
    /// Chooses <paramref name="count"/> existing diskful replicas to remove, one at a time: replicas that violate the
    /// request's constraints first (re-evaluated after each choice, so of two replicas sharing a rack only one goes),
    /// then the one whose pool has the least free space (unknown counts as least), then by node name.
    /// </summary>
    public static ImmutableList<ExistingReplica> ChooseToRemove(
        PlacementRequest request, IReadOnlyList<CandidateNode> nodes, IReadOnlyList<ExistingReplica> existing, int count)
    {
        Regex? regex;
        try
        {
            regex = CompileRegex(request.NotPlaceWithRscRegex);
        }
        catch (ArgumentException)
        {
            regex = null;
        }

        var byKey = NodesByKey(nodes);
        var remaining = existing.Where(e => !e.Diskless).ToList();
        var result = ImmutableList.CreateBuilder<ExistingReplica>();
        var ctx = new Context(request, nodes, [], new PlacementSettings(), regex);
        while (result.Count < count && remaining.Count > 0)
        {
            var pick = remaining
                .Select(r => (Replica: r, Violates: ctx.Violates(r, remaining, byKey), Free: FreeOf(r, byKey)))
                .OrderByDescending(x => x.Violates)
                .ThenBy(x => x.Free)
                .ThenBy(x => Names.Key(x.Replica.NodeName), StringComparer.Ordinal)
                .ThenBy(x => Names.Key(x.Replica.PoolName), StringComparer.Ordinal)
                .First().Replica;
            result.Add(pick);
            remaining.Remove(pick);
        }

        return result.ToImmutable();
    }

    // ---------------------------------------------------------------- internals

    internal sealed record Candidate(CandidateNode Node, CandidatePool Pool, string NodeKey, double Score);

    internal sealed record Reject(string Constraint, string Detail);

    private static Regex? CompileRegex(string? pattern) => string.IsNullOrEmpty(pattern)
        ? null
        : new Regex($"^(?:{pattern})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private static Dictionary<string, CandidateNode> NodesByKey(IReadOnlyList<CandidateNode> nodes)
    {
        var map = new Dictionary<string, CandidateNode>(StringComparer.Ordinal);
        foreach (var n in nodes)
            map.TryAdd(Names.Key(n.Name), n);
        return map;
    }

    private static long FreeOf(ExistingReplica r, Dictionary<string, CandidateNode> byKey) =>
        byKey.TryGetValue(Names.Key(r.NodeName), out var n)
        && n.Pools.FirstOrDefault(p => Names.Key(p.PoolName) == Names.Key(r.PoolName)) is { FreeKiB: { } free }
            ? free
            : long.MinValue;

    private static bool IsFalse(ImmutableSortedDictionary<string, string> props, string key) =>
        props.TryGetValue(key, out var v) && string.Equals(v.Trim(), "false", StringComparison.OrdinalIgnoreCase);

    /// <summary>Pool kinds that may share one resource (see the class remarks).</summary>
    internal static bool KindsCompatible(ProviderKind a, ProviderKind b, bool allowMixing) =>
        a == b || (allowMixing && Family(a) == Family(b));

    private static int Family(ProviderKind k) => k switch
    {
        ProviderKind.Lvm or ProviderKind.LvmThin => 1,
        ProviderKind.Zfs or ProviderKind.ZfsThin => 2,
        ProviderKind.File or ProviderKind.FileThin => 3,
        _ => 0,
    };

    /// <summary>The free-space rule (class remarks). Returns null when the pool fits.</summary>
    internal static Reject? CapacityReject(CandidatePool pool, long sizeKiB, PlacementSettings settings)
    {
        if (pool.FreeKiB is not { } free)
            return new Reject("no capacity reported", "the pool's free capacity is unknown");
        if (!pool.Kind.IsThin())
        {
            return free >= sizeKiB
                ? null
                : new Reject("free space", $"{free} KiB free < {sizeKiB} KiB needed");
        }

        double ratio = settings.MaxOversubscriptionRatio;
        double estimate = free * ratio;
        if (pool.TotalKiB is { } total)
            estimate = Math.Min(estimate, total * ratio - pool.ReservedKiB);
        if (estimate < sizeKiB)
            return new Reject("free space", $"{estimate.ToString("0", CultureInfo.InvariantCulture)} KiB usable with oversubscription < {sizeKiB} KiB needed");
        if (pool.TotalKiB is > 0 and var t && free * 100.0 < settings.MinThinFreeSpacePercent * t)
        {
            return new Reject(PlacementSettings.MinThinFreeSpaceKey,
                $"thin pool has {free} of {t} KiB free, below {settings.MinThinFreeSpacePercent.ToString(CultureInfo.InvariantCulture)}%");
        }

        return null;
    }

    private static List<Candidate> Rate(List<(CandidateNode Node, CandidatePool Pool)> raw, PlacementSettings s)
    {
        double maxFree = raw.Select(x => (double)(x.Pool.FreeKiB ?? 0)).Where(v => v > 0).DefaultIfEmpty(0).Max();
        double maxReserved = raw.Select(x => (double)x.Pool.ReservedKiB).Where(v => v > 0).DefaultIfEmpty(0).Max();
        double maxCount = raw.Select(x => (double)x.Pool.ResourceCount).Where(v => v > 0).DefaultIfEmpty(0).Max();
        static double Norm(double v, double max) => max > 0 ? v / max : 0;
        return raw
            .Select(x => new Candidate(x.Node, x.Pool, Names.Key(x.Node.Name),
                s.MaxFreeSpaceWeight * Norm(x.Pool.FreeKiB ?? 0, maxFree)
                - s.MinReservedSpaceWeight * Norm(x.Pool.ReservedKiB, maxReserved)
                - s.MinRscCountWeight * Norm(x.Pool.ResourceCount, maxCount)))
            .OrderByDescending(c => c.Score)
            .ThenBy(c => c.NodeKey, StringComparer.Ordinal)
            .ThenBy(c => Names.Key(c.Pool.PoolName), StringComparer.Ordinal)
            .ToList();
    }

    private static List<Candidate>? Search(List<Candidate> candidates, int needed, Context ctx)
    {
        int n = candidates.Count;
        var prefix = new double[n + 1];
        for (int i = 0; i < n; i++)
            prefix[i + 1] = prefix[i] + candidates[i].Score;

        var chosen = new List<Candidate>(needed);
        List<Candidate>? best = null;
        double bestSum = double.NegativeInfinity;

        void Dfs(int start, double sum)
        {
            if (chosen.Count == needed)
            {
                if (best is null || sum > bestSum + Epsilon)
                {
                    best = [.. chosen];
                    bestSum = sum;
                }

                return;
            }

            int k = needed - chosen.Count;
            for (int i = start; i + k <= n; i++)
            {
                // Windows of k consecutive scores only shrink as i grows, so once one cannot win, none can.
                if (best is not null && sum + (prefix[i + k] - prefix[i]) <= bestSum + Epsilon)
                    break;
                var c = candidates[i];
                if (!ctx.Fits(c, chosen))
                    continue;
                chosen.Add(c);
                Dfs(i + 1, sum + c.Score);
                chosen.RemoveAt(chosen.Count - 1);
            }
        }

        Dfs(0, 0);
        return best;
    }

    private static ImmutableList<PlacedReplica> DisklessOnRemaining(
        PlacementRequest request, IReadOnlyList<CandidateNode> nodes, HashSet<string> chosenKeys, Context ctx, Regex? regex)
    {
        var list = ImmutableList.CreateBuilder<PlacedReplica>();
        foreach (var node in nodes.OrderBy(n => Names.Key(n.Name), StringComparer.Ordinal))
        {
            var key = Names.Key(node.Name);
            if (chosenKeys.Contains(key) || !node.Online || node.Evacuating || ctx.HostsResource(node)
                || !ctx.InNodeList(node) || ctx.NotPlaceWith(node) is not null || (regex is not null && ctx.RegexHit(node) is not null))
            {
                continue;
            }

            if (DisklessPoolOf(node, request.DisklessStoragePools) is { } pool)
                list.Add(new PlacedReplica(node.Name, pool.PoolName, ProviderKind.Diskless, true));
        }

        return list.ToImmutable();
    }

    private static CandidatePool? DisklessPoolOf(CandidateNode node, ImmutableList<string> wanted)
    {
        var diskless = node.Pools.Where(p => p.Kind == ProviderKind.Diskless).ToList();
        if (wanted.Count > 0)
        {
            foreach (var w in wanted)
            {
                if (diskless.FirstOrDefault(p => Names.Key(p.PoolName) == Names.Key(w)) is { } hit)
                    return hit;
            }

            return null;
        }

        return diskless.FirstOrDefault(p => Names.Key(p.PoolName) == Names.Key(DefaultDisklessPool))
            ?? diskless.OrderBy(p => Names.Key(p.PoolName), StringComparer.Ordinal).FirstOrDefault();
    }

    private static PlacementOutcome.NotPlaced NotPlaced(
        PlacementRequest request, int needed, int existingCount, List<Candidate> candidates, int candidateNodes,
        ImmutableList<Exclusion> exclusions, Context ctx)
    {
        var more = existingCount > 0 ? "more " : "";
        var message = new StringBuilder(
            $"Not enough nodes to place {needed} {more}replica{(needed == 1 ? "" : "s")} of '{request.ResourceName}': {candidateNodes} candidate{(candidateNodes == 1 ? "" : "s")} remain{(candidateNodes == 1 ? "s" : "")}");
        var cause = new StringBuilder();
        foreach (var group in exclusions.GroupBy(e => e.Constraint))
        {
            if (cause.Length > 0)
                cause.Append("; ");
            cause.Append(group.Key).Append(": ")
                .Append(string.Join(", ", group.Select(e => e.PoolName is null ? e.NodeName : $"{e.NodeName} (pool {e.PoolName})")));
        }

        var setConstraints = ctx.SetConstraintNames(candidates);
        if (candidateNodes >= needed)
        {
            var names = setConstraints.Count > 0 ? string.Join(", ", setConstraints) : "the placement constraints";
            message.Append($", but no {needed} of them satisfy {names} together");
            if (cause.Length > 0)
                cause.Append("; ");
            cause.Append($"no {needed} of the remaining candidates ({string.Join(", ", candidates.Select(c => c.Node.Name).Distinct())}) satisfy {names}");
        }

        message.Append('.');
        if (cause.Length == 0)
            cause.Append(nodesEmpty(candidates) ? "no nodes with diskful storage pools are known" : "too few candidates");

        var fixes = new List<string>();
        void Fix(string text)
        {
            if (!fixes.Contains(text))
                fixes.Add(text);
        }

        foreach (var constraint in exclusions.Select(e => e.Constraint).Concat(candidateNodes >= needed ? setConstraints : []))
        {
            switch (constraint)
            {
                case "node offline": Fix("bring nodes online"); break;
                case "node evacuating": Fix("wait for the evacuation or deletion to finish"); break;
                case "already has a replica": Fix("add nodes"); break;
                case "node_name_list": Fix("extend node_name_list"); break;
                case AutoplaceTargetProp: Fix("set AutoplaceTarget=true on nodes or pools"); break;
                case "layer_stack": Fix("install the layers of layer_stack on more nodes"); break;
                case "not_place_with_rsc" or "not_place_with_rsc_regex": Fix("relax not_place_with_rsc"); break;
                case "no diskful storage pool" or "storage_pool": Fix("add storage pools or change storage_pool"); break;
                case "provider_list": Fix("extend provider_list"); break;
                case "no capacity reported": Fix("wait for the satellites to report capacity"); break;
                case "free space" or PlacementSettings.MinThinFreeSpaceKey: Fix("add capacity or storage pools"); break;
                case "provider mixing": Fix("use pools of the same provider kind or set AllowMixingStoragePoolDriver"); break;
                case "shared space": Fix("use pools outside the shared space"); break;
                default:
                    if (constraint.StartsWith("replicas_on_same", StringComparison.Ordinal))
                        Fix("relax replicas_on_same");
                    else if (constraint.StartsWith("replicas_on_different", StringComparison.Ordinal))
                        Fix("relax replicas_on_different");
                    else if (constraint.StartsWith("x_replicas_on_different", StringComparison.Ordinal))
                        Fix("relax x_replicas_on_different");
                    break;
            }
        }

        Fix("add nodes with storage pools");
        var correction = string.Join(", ", fixes);
        correction = char.ToUpperInvariant(correction[0]) + correction[1..] + ", or lower the place count.";
        return new PlacementOutcome.NotPlaced(message.ToString(), cause.ToString(), correction, exclusions);

        static bool nodesEmpty(List<Candidate> c) => c.Count == 0;
    }

    /// <summary>The request's constraints, resolved against the existing replicas.</summary>
    private sealed class Context
    {
        private readonly PlacementRequest _request;
        private readonly PlacementSettings _settings;
        private readonly Regex? _regex;
        private readonly string _rscKey;
        private readonly HashSet<string> _occupied;
        private readonly HashSet<string>? _nodeNames;
        private readonly HashSet<string>? _poolNames;
        private readonly HashSet<string> _notPlaceWith;
        private readonly List<(string Key, string Value)> _sameFixed = [];
        private readonly List<string> _sameKeys = [];
        private readonly Dictionary<string, string> _samePinned = new(StringComparer.Ordinal);
        private readonly List<(string Key, string Value)> _differentFixed = [];
        private readonly List<string> _differentKeys = [];
        private readonly Dictionary<string, HashSet<string>> _differentUsed = new(StringComparer.Ordinal);
        private readonly List<(string Key, int Max)> _xDifferent = [];
        private readonly Dictionary<string, Dictionary<string, int>> _xUsed = new(StringComparer.Ordinal);
        private readonly List<ProviderKind> _existingKinds = [];
        private readonly HashSet<string> _existingShared = new(StringComparer.Ordinal);

        public (string Key, IReadOnlyList<string> Values)? SameConflict { get; }

        public Context(PlacementRequest request, IReadOnlyList<CandidateNode> nodes, IReadOnlyList<ExistingReplica> existing, PlacementSettings settings, Regex? regex)
        {
            _request = request;
            _settings = settings;
            _regex = regex;
            _rscKey = Names.Key(request.ResourceName);
            _occupied = existing.Select(e => Names.Key(e.NodeName)).ToHashSet(StringComparer.Ordinal);
            _nodeNames = request.NodeNames.Count > 0 ? request.NodeNames.Select(Names.Key).ToHashSet(StringComparer.Ordinal) : null;
            _poolNames = request.StoragePools.Count > 0 ? request.StoragePools.Select(Names.Key).ToHashSet(StringComparer.Ordinal) : null;
            _notPlaceWith = request.NotPlaceWithRsc.Select(Names.Key).ToHashSet(StringComparer.Ordinal);

            foreach (var entry in request.ReplicasOnSame)
            {
                var (key, value) = ParseEntry(entry);
                if (key.Length == 0)
                    continue;
                if (value is null)
                {
                    if (!_sameKeys.Contains(key))
                        _sameKeys.Add(key);
                }
                else
                {
                    _sameFixed.Add((key, value));
                }
            }

            foreach (var entry in request.ReplicasOnDifferent)
            {
                var (key, value) = ParseEntry(entry);
                if (key.Length == 0)
                    continue;
                if (value is not null)
                    _differentFixed.Add((key, value));
                if (!_differentKeys.Contains(key))
                    _differentKeys.Add(key);
            }

            foreach (var (key, max) in request.XReplicasOnDifferent)
            {
                if (key.Trim().Length > 0)
                    _xDifferent.Add((key.Trim(), Math.Max(1, max)));
            }

            var byKey = NodesByKey(nodes);
            var existingProps = new List<ImmutableSortedDictionary<string, string>>();
            foreach (var replica in existing.Where(e => !e.Diskless))
            {
                byKey.TryGetValue(Names.Key(replica.NodeName), out var node);
                var props = node?.Props ?? ImmutableSortedDictionary<string, string>.Empty;
                existingProps.Add(props);
                _existingKinds.Add(replica.Kind);
                var pool = node?.Pools.FirstOrDefault(p => Names.Key(p.PoolName) == Names.Key(replica.PoolName));
                if (pool?.SharedSpace is { } shared)
                    _existingShared.Add(shared);
            }

            foreach (var key in _sameKeys)
            {
                var values = existingProps.Where(p => p.ContainsKey(key)).Select(p => p[key]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                if (values.Count > 1)
                    SameConflict ??= (key, values);
                else if (values.Count == 1)
                    _samePinned[key] = values[0];
            }

            foreach (var key in _differentKeys)
                _differentUsed[key] = existingProps.Where(p => p.ContainsKey(key)).Select(p => p[key]).ToHashSet(StringComparer.Ordinal);

            foreach (var (key, _) in _xDifferent)
            {
                var counts = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (var p in existingProps)
                {
                    if (p.TryGetValue(key, out var v))
                        counts[v] = counts.GetValueOrDefault(v) + 1;
                }

                _xUsed[key] = counts;
            }
        }

        private static (string Key, string? Value) ParseEntry(string entry)
        {
            int idx = entry.IndexOf('=');
            return idx < 0 ? (entry.Trim(), null) : (entry[..idx].Trim(), entry[(idx + 1)..].Trim());
        }

        public bool HostsResource(CandidateNode node) => _occupied.Contains(Names.Key(node.Name)) || node.ResourceKeys.Contains(_rscKey);

        public bool InNodeList(CandidateNode node) => _nodeNames is null || _nodeNames.Contains(Names.Key(node.Name));

        public string? NotPlaceWith(CandidateNode node) =>
            node.ResourceKeys.Where(r => r != _rscKey && _notPlaceWith.Contains(r)).Order(StringComparer.Ordinal).FirstOrDefault();

        public string? RegexHit(CandidateNode node) => _regex is null
            ? null
            : node.ResourceKeys.Where(r => r != _rscKey && _regex.IsMatch(r)).Order(StringComparer.Ordinal).FirstOrDefault();

        public Reject? NodeReject(CandidateNode node)
        {
            if (!node.Online)
                return new Reject("node offline", "the node is not connected");
            if (node.Evacuating)
                return new Reject("node evacuating", "the node is being deleted or evacuated");
            if (HostsResource(node))
                return new Reject("already has a replica", $"the node already has a replica of '{_request.ResourceName}'");
            if (!InNodeList(node))
                return new Reject("node_name_list", "the node is not in node_name_list");
            if (IsFalse(node.Props, AutoplaceTargetProp))
                return new Reject(AutoplaceTargetProp, "the node has AutoplaceTarget=false");
            if (_request.LayerStack.Count > 0)
            {
                var supported = node.SupportedLayers.Count == 0 ? DefaultLayers : node.SupportedLayers;
                var missing = _request.LayerStack.Where(l => !supported.Any(s => string.Equals(s, l.Trim(), StringComparison.OrdinalIgnoreCase))).ToList();
                if (missing.Count > 0)
                    return new Reject("layer_stack", $"the node does not support {string.Join(", ", missing)}");
            }

            if (NotPlaceWith(node) is { } other)
                return new Reject("not_place_with_rsc", $"the node has resource '{other}'");
            if (RegexHit(node) is { } match)
                return new Reject("not_place_with_rsc_regex", $"the node has resource '{match}'");
            foreach (var (key, value) in _sameFixed)
            {
                if (!node.Props.TryGetValue(key, out var v) || v != value)
                    return new Reject($"replicas_on_same({key})", v is null ? $"the node lacks '{key}'" : $"'{key}' is '{v}', not '{value}'");
            }

            foreach (var key in _sameKeys)
            {
                if (!node.Props.TryGetValue(key, out var v))
                    return new Reject($"replicas_on_same({key})", $"the node lacks '{key}'");
                if (_samePinned.TryGetValue(key, out var pinned) && v != pinned)
                    return new Reject($"replicas_on_same({key})", $"'{key}' is '{v}', the existing replicas have '{pinned}'");
            }

            foreach (var (key, value) in _differentFixed)
            {
                if (node.Props.TryGetValue(key, out var v) && v == value)
                    return new Reject($"replicas_on_different({key})", $"'{key}' is '{value}'");
            }

            foreach (var key in _differentKeys)
            {
                if (node.Props.TryGetValue(key, out var v) && _differentUsed[key].Contains(v))
                    return new Reject($"replicas_on_different({key})", $"an existing replica already uses '{key}={v}'");
            }

            foreach (var (key, max) in _xDifferent)
            {
                if (node.Props.TryGetValue(key, out var v) && _xUsed[key].GetValueOrDefault(v) >= max)
                    return new Reject($"x_replicas_on_different({key})", $"existing replicas already use '{key}={v}' {max} time(s)");
            }

            return null;
        }

        public Reject? PoolReject(CandidatePool pool)
        {
            if (_poolNames is not null && !_poolNames.Contains(Names.Key(pool.PoolName)))
                return new Reject("storage_pool", "the pool is not in storage_pool");
            if (_request.Providers.Count > 0 && !_request.Providers.Contains(pool.Kind))
                return new Reject("provider_list", $"{pool.Kind.ToApi()} is not in provider_list");
            if (IsFalse(pool.Props, AutoplaceTargetProp))
                return new Reject(AutoplaceTargetProp, "the pool has AutoplaceTarget=false");
            if (CapacityReject(pool, Math.Max(0, _request.SizeKiB), _settings) is { } capacity)
                return capacity;
            var clash = _existingKinds.Where(k => !KindsCompatible(k, pool.Kind, _settings.AllowMixingProviders)).Distinct().ToList();
            if (clash.Count > 0)
                return new Reject("provider mixing", $"{pool.Kind.ToApi()} does not mix with the existing {string.Join(", ", clash.Select(k => k.ToApi()))} replicas");
            if (pool.SharedSpace is { } shared && _existingShared.Contains(shared))
                return new Reject("shared space", $"an existing replica already uses shared space '{shared}'");
            return null;
        }

        /// <summary>Whether <paramref name="c"/> can join <paramref name="chosen"/> (everything was checked against the existing replicas by the filters).</summary>
        public bool Fits(Candidate c, List<Candidate> chosen)
        {
            foreach (var other in chosen)
            {
                if (other.NodeKey == c.NodeKey)
                    return false;
                if (!KindsCompatible(other.Pool.Kind, c.Pool.Kind, _settings.AllowMixingProviders))
                    return false;
                if (c.Pool.SharedSpace is { } shared && other.Pool.SharedSpace == shared)
                    return false;
            }

            var props = c.Node.Props;
            foreach (var key in _sameKeys)
            {
                if (!_samePinned.ContainsKey(key) && chosen.Count > 0 && chosen[0].Node.Props[key] != props[key])
                    return false;
            }

            foreach (var key in _differentKeys)
            {
                if (props.TryGetValue(key, out var v) && chosen.Any(o => o.Node.Props.TryGetValue(key, out var ov) && ov == v))
                    return false;
            }

            foreach (var (key, max) in _xDifferent)
            {
                if (props.TryGetValue(key, out var v)
                    && _xUsed[key].GetValueOrDefault(v) + chosen.Count(o => o.Node.Props.TryGetValue(key, out var ov) && ov == v) + 1 > max)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Cheap necessary conditions: enough distinct values for every different / x-different key.</summary>
        public bool CountingFeasible(List<Candidate> candidates, int needed)
        {
            var nodes = candidates.GroupBy(c => c.NodeKey).Select(g => g.First().Node).ToList();
            foreach (var key in _differentKeys)
            {
                int lacking = nodes.Count(n => !n.Props.ContainsKey(key));
                int values = nodes.Where(n => n.Props.ContainsKey(key)).Select(n => n.Props[key]).Distinct(StringComparer.Ordinal).Count();
                if (lacking + values < needed)
                    return false;
            }

            foreach (var (key, max) in _xDifferent)
            {
                int lacking = nodes.Count(n => !n.Props.ContainsKey(key));
                int room = nodes.Where(n => n.Props.ContainsKey(key)).GroupBy(n => n.Props[key], StringComparer.Ordinal)
                    .Sum(g => Math.Min(g.Count(), max - _xUsed[key].GetValueOrDefault(g.Key)));
                if (lacking + room < needed)
                    return false;
            }

            return true;
        }

        /// <summary>The constraints that relate replicas to each other and are active for these candidates.</summary>
        public List<string> SetConstraintNames(List<Candidate> candidates)
        {
            var names = new List<string>();
            names.AddRange(_sameKeys.Where(k => !_samePinned.ContainsKey(k)).Select(k => $"replicas_on_same({k})"));
            names.AddRange(_differentKeys.Select(k => $"replicas_on_different({k})"));
            names.AddRange(_xDifferent.Select(x => $"x_replicas_on_different({x.Key})"));
            var kinds = candidates.Select(c => c.Pool.Kind).Distinct().ToList();
            if (kinds.Any(a => kinds.Any(b => !KindsCompatible(a, b, _settings.AllowMixingProviders))))
                names.Add("provider mixing");
            if (candidates.Where(c => c.Pool.SharedSpace is not null).GroupBy(c => c.Pool.SharedSpace).Any(g => g.Select(c => c.NodeKey).Distinct().Count() > 1))
                names.Add("shared space");
            return names;
        }

        /// <summary>Whether an existing diskful replica breaks the request (for <see cref="ChooseToRemove"/>).</summary>
        public bool Violates(ExistingReplica replica, List<ExistingReplica> all, Dictionary<string, CandidateNode> byKey)
        {
            if (!byKey.TryGetValue(Names.Key(replica.NodeName), out var node))
                return true;
            if (!node.Online || node.Evacuating || !InNodeList(node) || IsFalse(node.Props, AutoplaceTargetProp)
                || NotPlaceWith(node) is not null || RegexHit(node) is not null)
            {
                return true;
            }

            if (_poolNames is not null && !_poolNames.Contains(Names.Key(replica.PoolName)))
                return true;
            if (_request.Providers.Count > 0 && !_request.Providers.Contains(replica.Kind))
                return true;
            var pool = node.Pools.FirstOrDefault(p => Names.Key(p.PoolName) == Names.Key(replica.PoolName));
            if (pool is not null && IsFalse(pool.Props, AutoplaceTargetProp))
                return true;

            string? ValueOf(ExistingReplica r, string key) =>
                byKey.TryGetValue(Names.Key(r.NodeName), out var n) && n.Props.TryGetValue(key, out var v) ? v : null;

            foreach (var (key, value) in _sameFixed)
            {
                if (node.Props.GetValueOrDefault(key) != value)
                    return true;
            }

            foreach (var key in _sameKeys)
            {
                var mine = node.Props.GetValueOrDefault(key);
                if (mine is null)
                    return true;
                var majority = all.Select(r => ValueOf(r, key)).OfType<string>()
                    .GroupBy(v => v, StringComparer.Ordinal)
                    .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                    .First().Key;
                if (mine != majority)
                    return true;
            }

            foreach (var (key, value) in _differentFixed)
            {
                if (node.Props.GetValueOrDefault(key) == value)
                    return true;
            }

            foreach (var key in _differentKeys)
            {
                var mine = node.Props.GetValueOrDefault(key);
                if (mine is not null && all.Count(r => ValueOf(r, key) == mine) > 1)
                    return true;
            }

            foreach (var (key, max) in _xDifferent)
            {
                var mine = node.Props.GetValueOrDefault(key);
                if (mine is not null && all.Count(r => ValueOf(r, key) == mine) > max)
                    return true;
            }

            return false;
        }
    }
}
