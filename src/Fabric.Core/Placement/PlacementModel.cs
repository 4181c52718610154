using System.Collections.Immutable;
using System.Globalization;
using Fabric.Core.Aggregates.Nodes;

namespace Fabric.Core.Placement;

/// <summary>A candidate storage pool on a node, as the controller knows it.</summary>
/// <param name="ReservedKiB">Sum of the sizes of the volumes already in this pool.</param>
/// <param name="ResourceCount">Number of distinct resources in the pool.</param>
public sealed record CandidatePool(
    string PoolName,
    ProviderKind Kind,
    long? FreeKiB,
    long? TotalKiB,
    long ReservedKiB,
    int ResourceCount,
    ImmutableSortedDictionary<string, string> Props,
    string? SharedSpace);

/// <summary>A node the autoplacer may use.</summary>
/// <param name="Evacuating">The node carries the DELETE or EVACUATE flag.</param>
/// <param name="Props">Node properties, including <c>Aux/...</c>.</param>
/// <param name="ResourceKeys">Upper-case names of the resources already on the node.</param>
/// <param name="SupportedLayers">Layers the node supports (e.g. DRBD, STORAGE); empty = unknown, treated as DRBD and STORAGE.</param>
public sealed record CandidateNode(
    string Name,
    bool Online,
    bool Evacuating,
    ImmutableSortedDictionary<string, string> Props,
    ImmutableList<CandidatePool> Pools,
    ImmutableHashSet<string> ResourceKeys,
    ImmutableHashSet<string> SupportedLayers);

/// <summary>A replica of the resource being placed that already exists.</summary>
public sealed record ExistingReplica(string NodeName, string PoolName, ProviderKind Kind, bool Diskless);

/// <summary>The autoplace request (LINSTOR's AutoSelectFilter for one resource).</summary>
/// <param name="SizeKiB">Total size of all volumes; 0 for definitions without volumes.</param>
/// <param name="PlaceCount">Total diskful replica target (existing diskful replicas count toward it).</param>
/// <param name="AdditionalPlaceCount">Diskful replicas to add on top of the existing ones; wins over <paramref name="PlaceCount"/>.</param>
/// <param name="StoragePools"><c>storage_pool</c> and <c>storage_pool_list</c> merged.</param>
public sealed record PlacementRequest(
    string ResourceName,
    long SizeKiB,
    int? PlaceCount,
    int? AdditionalPlaceCount,
    ImmutableList<string> NodeNames,
    ImmutableList<string> StoragePools,
    ImmutableList<string> DisklessStoragePools,
    ImmutableList<string> ReplicasOnSame,
    ImmutableList<string> ReplicasOnDifferent,
    ImmutableSortedDictionary<string, int> XReplicasOnDifferent,
    ImmutableList<string> NotPlaceWithRsc,
    string? NotPlaceWithRscRegex,
    ImmutableList<ProviderKind> Providers,
    ImmutableList<string> LayerStack,
    bool DisklessOnRemaining,
    string? DisklessType)
{
    /// <summary>LINSTOR's default place count when neither place_count nor additional_place_count is given.</summary>
    public const int DefaultPlaceCount = 2;

    public static PlacementRequest For(string resourceName, long sizeKiB, int placeCount) => new(
        resourceName, sizeKiB, placeCount, null,
        [], [], [], [], [],
        ImmutableSortedDictionary<string, int>.Empty,
        [], null, [], [], false, null);
}

/// <summary>Controller-level autoplacer tuning.</summary>
public sealed record PlacementSettings(
    double MaxFreeSpaceWeight = 1.0,
    double MinReservedSpaceWeight = 0.0,
    double MinRscCountWeight = 0.00001,
    double MaxOversubscriptionRatio = 20,
    double MinThinFreeSpacePercent = 10,
    bool AllowMixingProviders = false)
{
    public const string MaxFreeSpaceWeightKey = "Autoplacer/Weights/MaxFreeSpace";
    public const string MinReservedSpaceWeightKey = "Autoplacer/Weights/MinReservedSpace";
    public const string MinRscCountWeightKey = "Autoplacer/Weights/MinRscCount";
    public const string MaxOversubscriptionRatioKey = "MaxOversubscriptionRatio";
    public const string MinThinFreeSpaceKey = "Autoplacer/MinThinFreeSpace";
    public const string AllowMixingKey = "AllowMixingStoragePoolDriver";

    /// <summary>Reads the settings from controller properties; missing or unparsable values keep their defaults.</summary>
    public static PlacementSettings FromControllerProps(IReadOnlyDictionary<string, string> props)
    {
        var d = new PlacementSettings();
        return new PlacementSettings(
            Number(props, MaxFreeSpaceWeightKey, d.MaxFreeSpaceWeight, _ => true),
            Number(props, MinReservedSpaceWeightKey, d.MinReservedSpaceWeight, _ => true),
            Number(props, MinRscCountWeightKey, d.MinRscCountWeight, _ => true),
            Number(props, MaxOversubscriptionRatioKey, d.MaxOversubscriptionRatio, v => v > 0),
            Number(props, MinThinFreeSpaceKey, d.MinThinFreeSpacePercent, v => v is >= 0 and <= 100),
            props.TryGetValue(AllowMixingKey, out var mix) && bool.TryParse(mix.Trim(), out var allow) ? allow : d.AllowMixingProviders);
    }

    private static double Number(IReadOnlyDictionary<string, string> props, string key, double fallback, Func<double, bool> valid)
    {
        if (!props.TryGetValue(key, out var text))
            return fallback;
        text = text.Trim();
        if (text.EndsWith('%'))
            text = text[..^1].TrimEnd();
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && valid(value)
            ? value
            : fallback;
    }
}

/// <summary>A replica the autoplacer decided to create.</summary>
public sealed record PlacedReplica(string NodeName, string PoolName, ProviderKind Kind, bool Diskless);

/// <summary>One node (or one pool, when <see cref="PoolName"/> is set) that a constraint removed from the candidates.</summary>
public sealed record Exclusion(string NodeName, string? PoolName, string Constraint, string Detail);

public abstract record PlacementOutcome
{
    private PlacementOutcome()
    {
    }

    public sealed record Placed(ImmutableList<PlacedReplica> Diskful, ImmutableList<PlacedReplica> Diskless, double Score) : PlacementOutcome;

    /// <summary>For example: the place count is already satisfied.</summary>
    public sealed record NothingToDo(string Reason) : PlacementOutcome;

    public sealed record NotPlaced(string Message, string Cause, string Correction, ImmutableList<Exclusion> Exclusions) : PlacementOutcome;
}
