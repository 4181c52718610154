using System.Collections.Immutable;

namespace Fabric.Core.Aggregates.Resources;

/// <summary>LINSTOR's device layers and the default stack.</summary>
public static class Layers
{
    public const string Drbd = "DRBD";
    public const string Storage = "STORAGE";

    public static readonly ImmutableList<string> All = ["DRBD", "LUKS", "NVME", "WRITECACHE", "CACHE", "BCACHE", "STORAGE"];

    public static readonly ImmutableList<string> DefaultStack = [Drbd, Storage];

    public static bool IsKnown(string? layer) => layer is not null && All.Contains(layer.Trim().ToUpperInvariant());

    /// <summary>Upper-cases a stack and checks it: known layers, no repeats, STORAGE last.</summary>
    public static (ImmutableList<string>? Stack, string? Error) Normalize(IEnumerable<string>? layers)
    {
        var stack = (layers ?? []).Select(l => l.Trim().ToUpperInvariant()).ToImmutableList();
        if (stack.IsEmpty)
        {
            return (DefaultStack, null);
        }
        if (stack.FirstOrDefault(l => !All.Contains(l)) is { } unknown)
        {
            return (null, $"'{unknown}' is not a layer; known layers: {string.Join(", ", All)}.");
        }
        if (stack.Distinct().Count() != stack.Count)
        {
            return (null, $"The layer stack {string.Join(",", stack)} names a layer twice.");
        }
        if (stack[^1] != Storage)
        {
            return (null, $"The layer stack {string.Join(",", stack)} must end with STORAGE.");
        }
        return (stack, null);
    }
}

/// <summary>LINSTOR's resource flag bits (Resource.Flags) and their names in REST.</summary>
public static class ResourceFlags
{
    public const long Clean = 1L << 0;
    public const long Delete = 1L << 1;
    public const long Diskless = 1L << 2;
    public const long DrbdDiskless = Diskless | (1L << 8);
    public const long TieBreaker = DrbdDiskless | (1L << 7);
    public const long Inactive = 1L << 10;

    private static readonly (string Name, long Bits)[] Named =
    [
        ("CLEAN", Clean), ("DELETE", Delete), ("DISKLESS", Diskless), ("DRBD_DISKLESS", DrbdDiskless), ("TIE_BREAKER", TieBreaker), ("INACTIVE", Inactive),
    ];

    public static bool Has(long flags, long bits) => (flags & bits) == bits;

    /// <summary>Names of every flag whose bits are all set, as LINSTOR lists them.</summary>
    public static ImmutableList<string> ToNames(long flags) => Named.Where(n => Has(flags, n.Bits)).Select(n => n.Name).ToImmutableList();
}
