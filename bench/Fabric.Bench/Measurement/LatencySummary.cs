using System.Diagnostics;

namespace Fabric.Bench.Measurement;

/// <summary>Percentiles (nearest rank) over latencies recorded as Stopwatch ticks.</summary>
public sealed record LatencySummary(int Count, double MeanMs, double P50Ms, double P95Ms, double P99Ms, double MaxMs)
{
    public static LatencySummary Of(IEnumerable<long> ticks)
    {
        var sorted = ticks.Select(ToMs).OrderBy(v => v).ToArray();
        if (sorted.Length == 0)
        {
            return new LatencySummary(0, 0, 0, 0, 0, 0);
        }
        return new LatencySummary(sorted.Length, sorted.Average(), Rank(sorted, 50), Rank(sorted, 95), Rank(sorted, 99), sorted[^1]);
    }

    public static double ToMs(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static double Rank(double[] sorted, double percentile)
    {
        var index = (int)Math.Ceiling(percentile / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }
}
