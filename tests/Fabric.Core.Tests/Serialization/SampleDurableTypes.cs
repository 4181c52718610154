using System.Collections.Immutable;
using Fabric.Core.Serialization;

namespace Fabric.Core.Tests.Serialization;

// Test-only durable types that exercise every shape the journal format must support.
// Their assembly is registered through TestDurableTypes.Register().

public enum SampleVolumeState
{
    Unknown,
    Creating,
    UpToDate,
    Failed,
}

/// <summary>Nested, non-durable value inside durable samples.</summary>
public sealed record SampleVolume(int Number, long SizeKib, SampleVolumeState State, ImmutableList<int> Minors, string? Comment);

[Durable("test.sample-resource-created.v1")]
public sealed record SampleResourceCreated(
    Guid ResourceId,
    string Name,
    long SizeBytes,
    SampleVolumeState State,
    DateTimeOffset CreatedAt,
    string? Description,
    Guid? ParentId,
    int? Priority,
    ImmutableList<string> Nodes,
    ImmutableSortedDictionary<string, string> Props,
    ImmutableDictionary<string, long> UsageByNode,
    ImmutableList<SampleVolume> Volumes,
    SampleVolume? Primary) : IDurable;

[Durable("test.sample-node-renamed.v1")]
public sealed record SampleNodeRenamed(Guid NodeId, string OldName, string NewName, SampleVolumeState Kind, DateTimeOffset At, long Generation, string? Reason) : IDurable;

[Durable("test.sample-snapshot.v1")]
public sealed record SampleSnapshot(
    long SequenceNr,
    ImmutableSortedDictionary<string, SampleVolume> Volumes,
    ImmutableDictionary<Guid, string> NamesById,
    ImmutableList<SampleNodeRenamed> History,
    bool Deleted = false) : IDurable;

/// <summary>A durable class (not a record) with init-only properties and no constructor parameters.</summary>
[Durable("test.sample-settings-changed.v1")]
public sealed class SampleSettingsChanged : IDurable
{
    public required string Scope { get; init; }
    public ImmutableSortedDictionary<string, string> Set { get; init; } = ImmutableSortedDictionary<string, string>.Empty;
    public ImmutableList<string> Removed { get; init; } = [];
}

public static class TestDurableTypes
{
    /// <summary>Registers this test assembly's durable types; idempotent.</summary>
    public static void Register() => DurableTypeRegistry.Register(typeof(TestDurableTypes).Assembly);
}
