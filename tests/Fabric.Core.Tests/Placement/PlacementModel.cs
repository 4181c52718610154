using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Placement;

namespace Fabric.Core.Tests.Placement;

/// <summary>One generated autoplacer input.</summary>
public sealed record Scenario(
    PlacementRequest Request, ImmutableList<CandidateNode> Nodes, ImmutableList<ExistingReplica> Existing, PlacementSettings Settings)
{
    public override string ToString() =>
        $"Request={Request}\nSettings={Settings}\nExisting=[{string.Join("; ", Existing)}]\nNodes:\n" + string.Join("\n", Nodes.Select(n =>
            $"  {n.Name} online={n.Online} evac={n.Evacuating} props=[{string.Join(",", n.Props.Select(p => $"{p.Key}={p.Value}"))}] " +
            $"rscs=[{string.Join(",", n.ResourceKeys.Order(StringComparer.Ordinal))}] layers=[{string.Join(",", n.SupportedLayers.Order(StringComparer.Ordinal))}] pools=[" +
            string.Join("; ", n.Pools.Select(p => $"{p.PoolName}:{p.Kind} free={p.FreeKiB} total={p.TotalKiB} res={p.ReservedKiB} cnt={p.ResourceCount} shared={p.SharedSpace} props={p.Props.Count}")) + "]"));
}

/// <summary>
/// An independent statement of the placement rules, written from the specification (not from the placer's code):
/// which single replicas are allowed, which sets are valid, and what a set scores. Brute force uses it to find the optimum.
/// </summary>
internal static class PlacementModel
{
    public sealed record Item(CandidateNode Node, CandidatePool Pool);

    private sealed record Holder(string NodeName, Func<string, string?> Props, ProviderKind Kind, string? Shared);

    private static bool Eq(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static (string Key, string? Value) Split(string entry)
    {
        int i = entry.IndexOf('=');
        return i < 0 ? (entry.Trim(), null) : (entry[..i].Trim(), entry[(i + 1)..].Trim());
    }

    private static bool PropFalse(IReadOnlyDictionary<string, string> props) =>
        props.TryGetValue("AutoplaceTarget", out var v) && Eq(v.Trim(), "false");

    public static int Needed(Scenario s)
    {
        int diskful = s.Existing.Count(e => !e.Diskless);
        int target = s.Request.AdditionalPlaceCount.HasValue ? diskful + s.Request.AdditionalPlaceCount.Value : s.Request.PlaceCount ?? 2;
        return target - diskful;
    }

    public static bool HasReplica(Scenario s, CandidateNode n) =>
        s.Existing.Any(e => Eq(e.NodeName, n.Name)) || n.ResourceKeys.Any(k => Eq(k, s.Request.ResourceName));

    private static IEnumerable<string> OtherResources(Scenario s, CandidateNode n) => n.ResourceKeys.Where(k => !Eq(k, s.Request.ResourceName));

    /// <summary>Node rules that also apply to diskless-on-remaining.</summary>
    public static bool NodeListAndNotPlaceWithOk(Scenario s, CandidateNode n)
    {
        var r = s.Request;
        if (r.NodeNames.Count > 0 && !r.NodeNames.Any(x => Eq(x, n.Name)))
            return false;
        if (OtherResources(s, n).Any(k => r.NotPlaceWithRsc.Any(x => Eq(x, k))))
            return false;
        if (r.NotPlaceWithRscRegex is { Length: > 0 } rx && OtherResources(s, n).Any(k => Regex.IsMatch(k, "^(?:" + rx + ")$", RegexOptions.IgnoreCase)))
            return false;
        return true;
    }

    public static bool FitsSize(CandidatePool p, long size, PlacementSettings st)
    {
        if (p.FreeKiB is null)
            return false;
        long free = p.FreeKiB.Value;
        bool thin = p.Kind is ProviderKind.LvmThin or ProviderKind.ZfsThin or ProviderKind.FileThin;
        if (!thin)
            return free >= size;
        double usable = free * st.MaxOversubscriptionRatio;
        if (p.TotalKiB.HasValue)
            usable = Math.Min(usable, p.TotalKiB.Value * st.MaxOversubscriptionRatio - p.ReservedKiB);
        if (usable < size)
            return false;
        if (p.TotalKiB is long total && total > 0 && free < total * st.MinThinFreeSpacePercent / 100.0)
            return false;
        return true;
    }

    /// <summary>Rules about one replica on its own (not involving other replicas).</summary>
    public static bool ItemOk(Scenario s, Item it)
    {
        var (n, p) = (it.Node, it.Pool);
        var r = s.Request;
        if (!n.Online || n.Evacuating || HasReplica(s, n) || PropFalse(n.Props) || !NodeListAndNotPlaceWithOk(s, n))
            return false;
        var layers = n.SupportedLayers.Count == 0 ? ["DRBD", "STORAGE"] : n.SupportedLayers.ToArray();
        if (!r.LayerStack.All(l => layers.Any(x => Eq(x, l))))
            return false;
        foreach (var (key, value) in r.ReplicasOnSame.Select(Split))
        {
            if (!n.Props.TryGetValue(key, out var v) || (value is not null && v != value))
                return false;
        }

        foreach (var (key, value) in r.ReplicasOnDifferent.Select(Split))
        {
            if (value is not null && n.Props.TryGetValue(key, out var v) && v == value)
                return false;
        }

        if (p.Kind == ProviderKind.Diskless || PropFalse(p.Props))
            return false;
        if (r.StoragePools.Count > 0 && !r.StoragePools.Any(x => Eq(x, p.PoolName)))
            return false;
        if (r.Providers.Count > 0 && !r.Providers.Contains(p.Kind))
            return false;
        return FitsSize(p, Math.Max(0, r.SizeKiB), s.Settings);
    }

    private static int Family(ProviderKind k) => k switch
    {
        ProviderKind.Lvm or ProviderKind.LvmThin => 1,
        ProviderKind.Zfs or ProviderKind.ZfsThin => 2,
        ProviderKind.File or ProviderKind.FileThin => 3,
        _ => 100 + (int)k,
    };

    private static bool Mix(ProviderKind a, ProviderKind b, bool allow) => allow ? Family(a) == Family(b) : a == b;

    private static IEnumerable<Holder> ExistingHolders(Scenario s) =>
        s.Existing.Where(e => !e.Diskless).Select(e =>
        {
            var node = s.Nodes.FirstOrDefault(n => Eq(n.Name, e.NodeName));
            var pool = node?.Pools.FirstOrDefault(p => Eq(p.PoolName, e.PoolName));
            return new Holder(e.NodeName, k => node is not null && node.Props.TryGetValue(k, out var v) ? v : null, e.Kind, pool?.SharedSpace);
        });

    private static Holder HolderOf(Item it) =>
        new(it.Node.Name, k => it.Node.Props.TryGetValue(k, out var v) ? v : null, it.Pool.Kind, it.Pool.SharedSpace);

    /// <summary>Whether a whole set of new diskful replicas is valid together with the existing ones.</summary>
    public static bool SetOk(Scenario s, IReadOnlyList<Item> chosen)
    {
        if (chosen.Select(c => c.Node.Name.ToUpperInvariant()).Distinct().Count() != chosen.Count)
            return false;
        if (!chosen.All(c => ItemOk(s, c)))
            return false;
        var mine = chosen.Select(HolderOf).ToList();
        var all = mine.Concat(ExistingHolders(s)).ToList();
        var r = s.Request;
        var sameKeys = r.ReplicasOnSame.Select(Split).Where(x => x.Value is null).Select(x => x.Key).ToList();
        var differentKeys = r.ReplicasOnDifferent.Select(Split).Select(x => x.Key).ToList();
        foreach (var a in mine)
        {
            foreach (var b in all)
            {
                if (ReferenceEquals(a, b))
                    continue;
                foreach (var key in sameKeys)
                {
                    if (b.Props(key) is { } bv && a.Props(key) != bv)
                        return false;
                }

                foreach (var key in differentKeys)
                {
                    if (a.Props(key) is { } av && b.Props(key) == av)
                        return false;
                }

                if (!Mix(a.Kind, b.Kind, s.Settings.AllowMixingProviders))
                    return false;
                if (a.Shared is not null && a.Shared == b.Shared)
                    return false;
            }
        }

        foreach (var (key, max) in r.XReplicasOnDifferent)
        {
            foreach (var value in mine.Select(m => m.Props(key)).OfType<string>().Distinct())
            {
                if (all.Count(h => h.Props(key) == value) > Math.Max(1, max))
                    return false;
            }
        }

        return true;
    }

    /// <summary>Scores of every pool that could hold one replica on its own, by the spec's normalisation.</summary>
    public static Dictionary<Item, double> Scores(Scenario s)
    {
        var singles = s.Nodes.SelectMany(n => n.Pools.Select(p => new Item(n, p))).Where(it => SetOk(s, [it])).ToList();
        static double MaxPos(IEnumerable<double> v) => v.Where(x => x > 0).DefaultIfEmpty(0).Max();
        double mf = MaxPos(singles.Select(i => (double)(i.Pool.FreeKiB ?? 0)));
        double mr = MaxPos(singles.Select(i => (double)i.Pool.ReservedKiB));
        double mc = MaxPos(singles.Select(i => (double)i.Pool.ResourceCount));
        var st = s.Settings;
        return singles.ToDictionary(i => i, i =>
            (mf > 0 ? st.MaxFreeSpaceWeight * (i.Pool.FreeKiB ?? 0) / mf : 0)
            - (mr > 0 ? st.MinReservedSpaceWeight * i.Pool.ReservedKiB / mr : 0)
            - (mc > 0 ? st.MinRscCountWeight * i.Pool.ResourceCount / mc : 0));
    }

    /// <summary>Exhaustive search: the best valid set's score, or null when no valid set exists.</summary>
    public static double? BruteForceBest(Scenario s, Dictionary<Item, double> scores, int needed)
    {
        var byNode = s.Nodes.Select(n => scores.Keys.Where(i => ReferenceEquals(i.Node, n)).ToList()).Where(l => l.Count > 0).ToList();
        double? best = null;
        var chosen = new List<Item>();

        void Walk(int idx)
        {
            if (chosen.Count == needed)
            {
                if (SetOk(s, chosen))
                {
                    var sum = chosen.Sum(c => scores[c]);
                    if (best is null || sum > best)
                        best = sum;
                }

                return;
            }

            if (idx == byNode.Count || byNode.Count - idx < needed - chosen.Count)
                return;
            Walk(idx + 1);
            foreach (var item in byNode[idx])
            {
                chosen.Add(item);
                if (SetOk(s, chosen))
                    Walk(idx + 1);
                chosen.RemoveAt(chosen.Count - 1);
            }
        }

        Walk(0);
        return best;
    }
}
