using System.Collections.Immutable;

namespace Fabric.Core.Aggregates.ResourceGroups;

/// <summary>
/// LINSTOR's AutoSelectFilter: how the autoplacer chooses nodes and pools. Null fields are unset
/// (a resource group's filter merged with a request's, the request wins field by field).
/// </summary>
public sealed record AutoSelectFilter
{
    public int? PlaceCount { get; init; }
    public int? AdditionalPlaceCount { get; init; }
    public ImmutableList<string>? NodeNameList { get; init; }
    public string? StoragePool { get; init; }
    public ImmutableList<string>? StoragePoolList { get; init; }
    public ImmutableList<string>? StoragePoolDisklessList { get; init; }
    public ImmutableList<string>? NotPlaceWithRsc { get; init; }
    public string? NotPlaceWithRscRegex { get; init; }
    public ImmutableList<string>? ReplicasOnSame { get; init; }
    public ImmutableList<string>? ReplicasOnDifferent { get; init; }
    public ImmutableSortedDictionary<string, int>? XReplicasOnDifferentMap { get; init; }
    public ImmutableList<string>? LayerStack { get; init; }
    public ImmutableList<string>? ProviderList { get; init; }
    public bool? DisklessOnRemaining { get; init; }
    public string? DisklessType { get; init; }

    public static readonly AutoSelectFilter None = new();

    /// <summary>This filter with every field <paramref name="over"/> sets replaced.</summary>
    public AutoSelectFilter MergedWith(AutoSelectFilter? over) => over is null ? this : new AutoSelectFilter
    {
        PlaceCount = over.PlaceCount ?? PlaceCount,
        AdditionalPlaceCount = over.AdditionalPlaceCount ?? AdditionalPlaceCount,
        NodeNameList = over.NodeNameList ?? NodeNameList,
        StoragePool = over.StoragePool ?? StoragePool,
        StoragePoolList = over.StoragePoolList ?? StoragePoolList,
        StoragePoolDisklessList = over.StoragePoolDisklessList ?? StoragePoolDisklessList,
        NotPlaceWithRsc = over.NotPlaceWithRsc ?? NotPlaceWithRsc,
        NotPlaceWithRscRegex = over.NotPlaceWithRscRegex ?? NotPlaceWithRscRegex,
        ReplicasOnSame = over.ReplicasOnSame ?? ReplicasOnSame,
        ReplicasOnDifferent = over.ReplicasOnDifferent ?? ReplicasOnDifferent,
        XReplicasOnDifferentMap = over.XReplicasOnDifferentMap ?? XReplicasOnDifferentMap,
        LayerStack = over.LayerStack ?? LayerStack,
        ProviderList = over.ProviderList ?? ProviderList,
        DisklessOnRemaining = over.DisklessOnRemaining ?? DisklessOnRemaining,
        DisklessType = over.DisklessType ?? DisklessType,
    };

    public bool Equals(AutoSelectFilter? other) =>
        other is not null
        && PlaceCount == other.PlaceCount
        && AdditionalPlaceCount == other.AdditionalPlaceCount
        && Same(NodeNameList, other.NodeNameList)
        && StoragePool == other.StoragePool
        && Same(StoragePoolList, other.StoragePoolList)
        && Same(StoragePoolDisklessList, other.StoragePoolDisklessList)
        && Same(NotPlaceWithRsc, other.NotPlaceWithRsc)
        && NotPlaceWithRscRegex == other.NotPlaceWithRscRegex
        && Same(ReplicasOnSame, other.ReplicasOnSame)
        && Same(ReplicasOnDifferent, other.ReplicasOnDifferent)
        && ((XReplicasOnDifferentMap is null && other.XReplicasOnDifferentMap is null)
            || (XReplicasOnDifferentMap is not null && other.XReplicasOnDifferentMap is not null && XReplicasOnDifferentMap.SequenceEqual(other.XReplicasOnDifferentMap)))
        && Same(LayerStack, other.LayerStack)
        && Same(ProviderList, other.ProviderList)
        && DisklessOnRemaining == other.DisklessOnRemaining
        && DisklessType == other.DisklessType;

    public override int GetHashCode() => HashCode.Combine(PlaceCount, StoragePool, NotPlaceWithRscRegex, DisklessType);

    private static bool Same(ImmutableList<string>? a, ImmutableList<string>? b) =>
        (a is null && b is null) || (a is not null && b is not null && a.SequenceEqual(b));
}
