using Fabric.Core.Aggregates.Nodes;

namespace Fabric.Core.Placement;

/// <summary>The largest size a placement still succeeds with, and where it would go.</summary>
public sealed record SizeAnswer(long MaxSizeKiB, PlacementOutcome.Placed Placement);

/// <summary>
/// Dry runs of the autoplacer for size questions (query-size-info, query-max-volume-size). Whether a
/// request places is monotone in its size (bigger only removes pools), so a binary search over the
/// size finds the largest one that still places.
/// </summary>
public static class SizeQuery
{
    /// <summary>
    /// The largest total size (KiB) that places <paramref name="request"/>, with the placement at that
    /// size; or the outcome at 1 KiB when even that does not place.
    /// </summary>
    public static (SizeAnswer? Answer, PlacementOutcome AtMinimum) MaxSize(
        PlacementRequest request, IReadOnlyList<CandidateNode> nodes, IReadOnlyList<ExistingReplica> existing, PlacementSettings settings)
    {
        var atMinimum = Autoplacer.Place(request with { SizeKiB = 1 }, nodes, existing, settings);
        if (atMinimum is not PlacementOutcome.Placed minimum)
        {
            return (null, atMinimum);
        }
        long lo = 1;
        var best = minimum;
        long hi = UpperBound(nodes, settings);
        while (lo < hi)
        {
            var mid = lo + ((hi - lo + 1) / 2);
            if (Autoplacer.Place(request with { SizeKiB = mid }, nodes, existing, settings) is PlacementOutcome.Placed placed)
            {
                lo = mid;
                best = placed;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return (new SizeAnswer(lo, best), atMinimum);
    }

    /// <summary>No pool can take more than its free space times the oversubscription ratio.</summary>
    private static long UpperBound(IReadOnlyList<CandidateNode> nodes, PlacementSettings settings)
    {
        var ratio = Math.Max(1.0, settings.MaxOversubscriptionRatio);
        double max = 1;
        foreach (var pool in nodes.SelectMany(n => n.Pools))
        {
            if (pool.Kind != ProviderKind.Diskless && pool.FreeKiB is { } free)
            {
                max = Math.Max(max, pool.Kind.IsThin() ? free * ratio : free);
            }
        }
        return (long)Math.Min(max, long.MaxValue / 4.0);
    }
}
