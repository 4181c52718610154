using System.Collections.Immutable;

namespace Fabric.Core.Tests.Serialization;

/// <summary>
/// One populated instance of every durable type. When you add an <c>IDurable</c> type to Fabric.Core,
/// add an instance here: <see cref="DurableSamplesCoverageTests"/> fails until you do, and every instance
/// is round-tripped through the real serializer.
/// </summary>
public static class DurableSamples
{
    private static readonly DateTimeOffset At = new(2025, 3, 4, 5, 6, 7, 123, TimeSpan.FromHours(2));

    public static IEnumerable<object> All()
    {
        // ---- Fabric.Core durable types ----
        foreach (var sample in DomainSamples.All().Concat(ResourceSamples.All()))
        {
            yield return sample;
        }

        // ---- Test-only durable types ----
        yield return ResourceCreated();
        yield return NodeRenamed();
        yield return new SampleSnapshot(
            SequenceNr: 42,
            Volumes: ImmutableSortedDictionary<string, SampleVolume>.Empty
                .Add("vol-b", new SampleVolume(1, 2048, SampleVolumeState.Creating, [], null))
                .Add("vol-a", new SampleVolume(0, 1024, SampleVolumeState.UpToDate, [1000, 1001], "first")),
            NamesById: ImmutableDictionary<Guid, string>.Empty
                .Add(Guid.Parse("6f1c2d9e-0b6e-4b8e-9a53-3d1f5e7c8a01"), "alpha")
                .Add(Guid.Parse("0a4b8f3e-7d21-4c55-8e0f-2b9c6d1e4f72"), "beta"),
            History: [NodeRenamed(), NodeRenamed() with { Reason = null, Generation = 8 }],
            Deleted: true);
        yield return new SampleSettingsChanged
        {
            Scope = "controller",
            Set = ImmutableSortedDictionary<string, string>.Empty.Add("DrbdOptions/auto-quorum", "io-error"),
            Removed = ["Aux/old"],
        };
    }

    public static SampleResourceCreated ResourceCreated() => new(
        ResourceId: Guid.Parse("9b2f7c61-4a3e-4d0b-8f15-6c2e1a9d7b34"),
        Name: "rsc-01",
        SizeBytes: 9_007_199_254_740_993, // above 2^53: must survive exactly
        State: SampleVolumeState.UpToDate,
        CreatedAt: At,
        Description: null,
        ParentId: Guid.Parse("1d3e5f70-8192-4a3b-9c4d-5e6f708192a3"),
        Priority: null,
        Nodes: ["node-a", "node-b"],
        Props: ImmutableSortedDictionary<string, string>.Empty
            .Add("DrbdOptions/Net/protocol", "C")
            .Add("Aux/owner", "Ops Team ü"),
        UsageByNode: ImmutableDictionary<string, long>.Empty.Add("node-a", long.MaxValue).Add("node-b", -1),
        Volumes: [new SampleVolume(0, 1_048_576, SampleVolumeState.Failed, [1000], "needs attention")],
        Primary: new SampleVolume(0, 1_048_576, SampleVolumeState.UpToDate, [], null));

    public static SampleNodeRenamed NodeRenamed() => new(
        NodeId: Guid.Parse("c0ffee00-1234-4abc-8def-0123456789ab"),
        OldName: "old-node",
        NewName: "new-node",
        Kind: SampleVolumeState.Creating,
        At: At,
        Generation: 7,
        Reason: "rename requested");
}
