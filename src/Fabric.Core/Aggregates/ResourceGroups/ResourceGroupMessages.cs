using System.Collections.Immutable;
using Fabric.Core.Properties;
using Fabric.Core.Serialization;

namespace Fabric.Core.Aggregates.ResourceGroups;

public interface IResourceGroupCommand : IWireMessage;

public sealed record CreateResourceGroup(string Name, string? Description, ImmutableSortedDictionary<string, string> Props, AutoSelectFilter? SelectFilter, int? PeerSlots) : IResourceGroupCommand;

/// <param name="SelectFilter">Fields set here replace the group's; null leaves the filter as is.</param>
public sealed record ModifyResourceGroup(string? Description, PropsChange Props, AutoSelectFilter? SelectFilter, int? PeerSlots) : IResourceGroupCommand;

/// <param name="ResourceDefinitions">Resource definitions that still use the group (from the read model).</param>
public sealed record DeleteResourceGroup(ImmutableList<string> ResourceDefinitions) : IResourceGroupCommand;

public sealed record CreateVolumeGroup(int? VolumeNumber, ImmutableSortedDictionary<string, string> Props, ImmutableList<string> Flags) : IResourceGroupCommand;

public sealed record ModifyVolumeGroup(int VolumeNumber, PropsChange Props, ImmutableList<string> Flags) : IResourceGroupCommand;

public sealed record DeleteVolumeGroup(int VolumeNumber) : IResourceGroupCommand;

public interface IResourceGroupEvent : IDurable;

[Durable("resource-group-created.v1")]
public sealed record ResourceGroupCreated(string Name, Guid Uuid, string? Description, ImmutableSortedDictionary<string, string> Props, AutoSelectFilter SelectFilter, int? PeerSlots) : IResourceGroupEvent;

[Durable("resource-group-modified.v1")]
public sealed record ResourceGroupModified(string? Description, AutoSelectFilter SelectFilter, int? PeerSlots) : IResourceGroupEvent;

[Durable("resource-group-props-changed.v1")]
public sealed record ResourceGroupPropsChanged(PropsChange Change) : IResourceGroupEvent;

[Durable("resource-group-deleted.v1")]
public sealed record ResourceGroupDeleted : IResourceGroupEvent;

[Durable("volume-group-created.v1")]
public sealed record VolumeGroupCreated(VolumeGroup VolumeGroup) : IResourceGroupEvent;

[Durable("volume-group-modified.v1")]
public sealed record VolumeGroupModified(int VolumeNumber, PropsChange Props, ImmutableList<string> Flags) : IResourceGroupEvent;

[Durable("volume-group-deleted.v1")]
public sealed record VolumeGroupDeleted(int VolumeNumber) : IResourceGroupEvent;
