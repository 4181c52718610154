using System.Collections.Immutable;
using Fabric.Core.Aggregates.ResourceGroups;
using Fabric.Host.Api.Contracts;

namespace Fabric.Host.Api;

/// <summary>Resource groups, volume groups and select filters between the domain and LINSTOR's REST shapes.</summary>
public static class ResourceGroupMapping
{
    /// <summary>Absent fields stay unset (null), so a merge keeps the group's value for them.</summary>
    public static AutoSelectFilter? ToDomain(this AutoSelectFilterDto? dto) => dto is null ? null : new AutoSelectFilter
    {
        PlaceCount = dto.PlaceCount,
        AdditionalPlaceCount = dto.AdditionalPlaceCount,
        NodeNameList = dto.NodeNameList?.ToImmutableList(),
        StoragePool = string.IsNullOrWhiteSpace(dto.StoragePool) ? null : dto.StoragePool,
        StoragePoolList = dto.StoragePoolList?.ToImmutableList(),
        StoragePoolDisklessList = dto.StoragePoolDisklessList?.ToImmutableList(),
        NotPlaceWithRsc = dto.NotPlaceWithRsc?.ToImmutableList(),
        NotPlaceWithRscRegex = string.IsNullOrEmpty(dto.NotPlaceWithRscRegex) ? null : dto.NotPlaceWithRscRegex,
        ReplicasOnSame = dto.ReplicasOnSame?.ToImmutableList(),
        ReplicasOnDifferent = dto.ReplicasOnDifferent?.ToImmutableList(),
        XReplicasOnDifferentMap = dto.XReplicasOnDifferentMap?.ToImmutableSortedDictionary(StringComparer.Ordinal),
        LayerStack = dto.LayerStack?.ToImmutableList(),
        ProviderList = dto.ProviderList?.ToImmutableList(),
        DisklessOnRemaining = dto.DisklessOnRemaining,
        DisklessType = string.IsNullOrWhiteSpace(dto.DisklessType) ? null : dto.DisklessType,
    };

    public static AutoSelectFilterDto ToDto(this AutoSelectFilter filter) => new()
    {
        PlaceCount = filter.PlaceCount,
        AdditionalPlaceCount = filter.AdditionalPlaceCount,
        NodeNameList = filter.NodeNameList,
        StoragePool = filter.StoragePool,
        StoragePoolList = filter.StoragePoolList,
        StoragePoolDisklessList = filter.StoragePoolDisklessList,
        NotPlaceWithRsc = filter.NotPlaceWithRsc,
        NotPlaceWithRscRegex = filter.NotPlaceWithRscRegex,
        ReplicasOnSame = filter.ReplicasOnSame,
        ReplicasOnDifferent = filter.ReplicasOnDifferent,
        XReplicasOnDifferentMap = filter.XReplicasOnDifferentMap,
        LayerStack = filter.LayerStack,
        ProviderList = filter.ProviderList,
        DisklessOnRemaining = filter.DisklessOnRemaining,
        DisklessType = filter.DisklessType,
    };

    public static ResourceGroupDto ToDto(this ResourceGroupState group) => new()
    {
        Name = group.Name,
        Description = group.Description,
        Props = group.Props,
        SelectFilter = group.SelectFilter.ToDto(),
        Uuid = group.Uuid.ToString(),
        PeerSlots = group.PeerSlots,
    };

    public static VolumeGroupDto ToDto(this VolumeGroup group) => new()
    {
        VolumeNumber = group.VolumeNumber,
        Props = group.Props,
        Uuid = group.Uuid.ToString(),
        Flags = group.Flags,
    };
}
