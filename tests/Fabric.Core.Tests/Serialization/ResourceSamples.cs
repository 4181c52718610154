using System.Collections.Immutable;
using Fabric.Core.Aggregates.Allocators;
using Fabric.Core.Aggregates.ResourceGroups;
using Fabric.Core.Aggregates.Resources;
using Fabric.Core.Allocation;
using Fabric.Core.Quorum;
using static Fabric.Core.Tests.Serialization.DomainSamples;

namespace Fabric.Core.Tests.Serialization;

/// <summary>One populated instance of every durable type of resource groups, resources and allocators.</summary>
public static class ResourceSamples
{
    private static readonly Guid U3 = Guid.Parse("0a0b0c0d-1111-4222-8333-444455556666");

    public static readonly AutoSelectFilter SomeFilter = new()
    {
        PlaceCount = 3,
        NodeNameList = ["alpha", "beta"],
        StoragePool = "pool1",
        StoragePoolList = ["pool1", "pool2"],
        StoragePoolDisklessList = ["DfltDisklessStorPool"],
        NotPlaceWithRsc = ["other"],
        NotPlaceWithRscRegex = "^db-.*",
        ReplicasOnSame = ["Aux/site"],
        ReplicasOnDifferent = ["Aux/rack"],
        XReplicasOnDifferentMap = ImmutableSortedDictionary<string, int>.Empty.Add("Aux/room", 2),
        LayerStack = ["DRBD", "STORAGE"],
        ProviderList = ["LVM_THIN"],
        DisklessOnRemaining = true,
        DisklessType = "DRBD_DISKLESS",
    };

    public static readonly VolumeGroup SomeVolumeGroup = new(0, U3, SomeProps, ["GROSS_SIZE"]);

    public static readonly VolumeDefinition SomeVolume = new(0, U3, 1_048_576, SomeProps, ["GROSS_SIZE"], 1000, 1000);

    public static readonly Replica SomeReplica = new(
        "alpha", U3, 2, ResourceFlags.TieBreaker, "DfltDisklessStorPool", SomeProps, 1_700_000_000_000, 7001,
        ImmutableSortedDictionary<int, ImmutableSortedDictionary<string, string>>.Empty.Add(0, SomeProps), 7001);

    public static readonly PendingRelease SomeRelease = new("TCP-PORT:ALPHA", "RES1#0a0b");

    public static readonly ResourceOperation SomeOperation = new(
        U3, "spawning 'res1'",
        new AllocationPolicy(new NumberRange(1000, 1999), new NumberRange(7000, 7099), ImmutableSortedDictionary<string, NumberRange>.Empty.Add("ALPHA", new NumberRange(8000, 8099))),
        new QuorumPolicy("suspend-io", false, true), true, ["ALPHA"], [0]);

    public static ResourceDefinitionState SomeResource() => ResourceDefinitionState.Absent("RES1") with
    {
        Exists = true,
        Name = "res1",
        Uuid = U3,
        ExternalName = "pvc-123",
        ResourceGroup = "rg1",
        Props = SomeProps,
        Secret = "s3cret",
        CreatedAtMs = 1_700_000_000_000,
        VolumeDefinitions = ImmutableSortedDictionary<int, VolumeDefinition>.Empty.Add(0, SomeVolume),
        Replicas = ImmutableSortedDictionary<string, Replica>.Empty.Add("ALPHA", SomeReplica),
        Operation = SomeOperation,
        PendingReleases = [SomeRelease],
    };

    public static ResourceGroupState SomeGroup() => ResourceGroupState.Absent("RG1") with
    {
        Exists = true,
        Name = "rg1",
        Uuid = U3,
        Description = "fast",
        Props = SomeProps,
        SelectFilter = SomeFilter,
        PeerSlots = 7,
        VolumeGroups = ImmutableSortedDictionary<int, VolumeGroup>.Empty.Add(0, SomeVolumeGroup),
    };

    public static AllocatorState SomeAllocator() => AllocatorAggregate.Instance.Apply(AllocatorState.Empty("MINOR"), new NumberReserved("RES1/0#0a0b", 1000));

    public static IEnumerable<object> All()
    {
        yield return SomeGroup();
        yield return new ResourceGroupCreated("rg1", U3, "fast", SomeProps, SomeFilter, 7);
        yield return new ResourceGroupModified("slow", SomeFilter with { PlaceCount = 2 }, null);
        yield return new ResourceGroupPropsChanged(SomeChange);
        yield return new ResourceGroupDeleted();
        yield return new VolumeGroupCreated(SomeVolumeGroup);
        yield return new VolumeGroupModified(0, SomeChange, []);
        yield return new VolumeGroupDeleted(0);
        yield return SomeResource();
        yield return new ResourceDefinitionCreated("res1", U3, "pvc-123", "rg1", ["DRBD", "STORAGE"], SomeProps, 7, "s3cret", "IP", 1_700_000_000_000);
        yield return new ResourceDefinitionModified(["DRBD", "STORAGE"], 8, "rg2");
        yield return new ResourceDefinitionPropsChanged(SomeChange);
        yield return new ResourceDefinitionDeleted([SomeRelease]);
        yield return new VolumeDefinitionCreated(SomeVolume);
        yield return new VolumeDefinitionModified(0, 2_097_152, [], SomeChange);
        yield return new VolumeDefinitionDeleted(0, SomeRelease);
        yield return new ReplicaCreated(SomeReplica);
        yield return new ReplicaFlagsChanged("ALPHA", ResourceFlags.DrbdDiskless, "DfltDisklessStorPool");
        yield return new ReplicaDiskToggled("ALPHA", ResourceFlags.DrbdDiskless, "DfltDisklessStorPool");
        yield return new ReplicaPropsChanged("ALPHA", SomeChange);
        yield return new ReplicaVolumePropsChanged("ALPHA", 0, SomeChange);
        yield return new ReplicaDeleted("ALPHA", null);
        yield return new OperationStarted(SomeOperation);
        yield return new MinorAssigned(0, 1000);
        yield return new PortAssigned("ALPHA", 7000);
        yield return new NumberGivenBack(SomeRelease);
        yield return new OperationCompleted(U3);
        yield return new OperationFailed(U3, "No free TCP port");
        yield return SomeAllocator();
        yield return new NumberReserved("RES1/0#0a0b", 1000);
        yield return new NumberReleased("RES1/0#0a0b", 1000);
    }
}
