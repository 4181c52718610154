using System.Collections.Immutable;
using Fabric.Core.Serialization;

namespace Fabric.Core.Aggregates.ResourceGroups;

public sealed record VolumeGroup(int VolumeNumber, Guid Uuid, ImmutableSortedDictionary<string, string> Props, ImmutableList<string> Flags);

/// <summary>A resource group: the template resource definitions are spawned from.</summary>
[Durable("resource-group-state.v1")]
public sealed record ResourceGroupState(
    string Key,
    bool Exists,
    string Name,
    Guid Uuid,
    string? Description,
    ImmutableSortedDictionary<string, string> Props,
    AutoSelectFilter SelectFilter,
    int? PeerSlots,
    ImmutableSortedDictionary<int, VolumeGroup> VolumeGroups) : IDurable
{
    /// <summary>LINSTOR's default group; it exists without being created and cannot be deleted.</summary>
    public const string DefaultName = "DfltRscGrp";

    public static readonly string DefaultKey = DefaultName.ToUpperInvariant();

    public static ResourceGroupState Absent(string key) => new(
        key,
        key == DefaultKey,
        key == DefaultKey ? DefaultName : key,
        key == DefaultKey ? new Guid("00000000-0000-4000-8000-00000000d0f1") : Guid.Empty,
        null,
        Fabric.Core.Properties.Props.Empty,
        AutoSelectFilter.None,
        null,
        ImmutableSortedDictionary<int, VolumeGroup>.Empty);
}
