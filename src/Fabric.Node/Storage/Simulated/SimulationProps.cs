using System.Globalization;

namespace Fabric.Node.Storage.Simulated;

/// <summary>
/// Pool properties a user can set through REST to steer a simulated pool: its capacity, operations
/// that fail, and a delay before every operation.
/// </summary>
public static class SimulationProps
{
    /// <summary>The pool's capacity in KiB (default <see cref="DefaultCapacityKiB"/>).</summary>
    public const string CapacityKiB = "Fabric/Simulate/CapacityKiB";

    /// <summary>Comma-separated operations that fail: inspect, list, create, resize, delete, activate. "inspect" also fails list, as a missing backing store would.</summary>
    public const string Fail = "Fabric/Simulate/Fail";

    /// <summary>Milliseconds every operation waits before it runs.</summary>
    public const string LatencyMs = "Fabric/Simulate/LatencyMs";

    /// <summary>10 TiB.</summary>
    public const long DefaultCapacityKiB = 10L * 1024 * 1024 * 1024;

    public static long Capacity(PoolSpec pool) =>
        pool.Props.TryGetValue(CapacityKiB, out var text) ? ParseNonNegative(pool, CapacityKiB, text) : DefaultCapacityKiB;

    public static TimeSpan Latency(PoolSpec pool) =>
        pool.Props.TryGetValue(LatencyMs, out var text) ? TimeSpan.FromMilliseconds(ParseNonNegative(pool, LatencyMs, text)) : TimeSpan.Zero;

    /// <summary>The operations <see cref="Fail"/> names; an unknown name is a StorageException naming the property.</summary>
    public static IReadOnlySet<SimulatedOperation> Failing(PoolSpec pool)
    {
        var failing = new HashSet<SimulatedOperation>();
        if (!pool.Props.TryGetValue(Fail, out var text))
        {
            return failing;
        }
        foreach (var name in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            failing.Add(name.All(char.IsLetter) && Enum.TryParse<SimulatedOperation>(name, ignoreCase: true, out var op)
                ? op
                : throw Invalid(pool, Fail, text, $"'{name}' is not an operation; use a comma-separated list of {string.Join(", ", Enum.GetNames<SimulatedOperation>().Select(n => n.ToLowerInvariant()))}"));
        }
        return failing;
    }

    private static long ParseNonNegative(PoolSpec pool, string prop, string text) =>
        long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Invalid(pool, prop, text, "the value must be a whole non-negative number");

    private static StorageException Invalid(PoolSpec pool, string prop, string text, string why) => new(
        $"Storage pool '{pool.Name}' (simulated): property {prop} = '{text}' is invalid",
        why + ".",
        $"Correct or delete the property {prop} of storage pool '{pool.Name}'.");
}
