using System.Collections.Immutable;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Protocol;
using Fabric.Node.Reconcile;
using Fabric.Node.Storage;

namespace Fabric.Node.Tests.Reconcile;

public sealed class ReconcilerTests
{
    private static readonly ImmutableSortedDictionary<string, DesiredPool> Pools = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
    [
        KeyValuePair.Create("FILES", new DesiredPool("files", ProviderKind.FileThin, ImmutableSortedDictionary<string, string>.Empty)),
        KeyValuePair.Create("OTHER", new DesiredPool("other", ProviderKind.FileThin, ImmutableSortedDictionary<string, string>.Empty)),
        KeyValuePair.Create("DFLTDISKLESSSTORPOOL", new DesiredPool("DfltDisklessStorPool", ProviderKind.Diskless, ImmutableSortedDictionary<string, string>.Empty)),
    ]);

    private static DesiredResource Desired(string pool = "files", bool diskless = false, params (int Vnr, long Size)[] volumes) =>
        new("r1", Guid.NewGuid(), Guid.NewGuid(), pool, diskless, 0, 0, 7000, ["STORAGE"], [.. volumes.Select(v => new DesiredVolume(v.Vnr, v.Size, null))], []);

    private static VolumeObservation Seen(string pool, int vnr, long usable, string? device = "/dev/loop7") =>
        new(pool, new ProvidedVolume(new VolumeId("r1", vnr), device, usable, 0));

    [Fact]
    public void Everything_in_place_plans_no_step()
    {
        var plan = Reconciler.Plan("r1", Desired(volumes: [(0, 1024), (1, 2048)]), Pools, [Seen("FILES", 0, 1024), Seen("FILES", 1, 4096)]);

        Assert.True(plan.InPlace);
        Assert.Empty(plan.Steps);
    }

    [Fact]
    public void Missing_volumes_are_created_small_ones_grown_inactive_ones_activated_never_shrunk()
    {
        var plan = Reconciler.Plan("r1", Desired(volumes: [(0, 1024), (1, 2048), (2, 512), (3, 100)]), Pools,
            [Seen("FILES", 1, 1024), Seen("FILES", 2, 512, device: null), Seen("FILES", 3, 4096)]);

        Assert.Equal<ReconcileStep>(
            [
                new CreateVolumeStep("FILES", new VolumeId("r1", 0), 1024),
                new ResizeVolumeStep("FILES", new VolumeId("r1", 1), 2048),
                new ActivateVolumeStep("FILES", new VolumeId("r1", 2)),
            ],
            plan.Steps);
    }

    [Fact]
    public void A_resource_no_longer_desired_has_all_its_volumes_deleted()
    {
        var plan = Reconciler.Plan("r1", null, Pools, [Seen("FILES", 1, 1024), Seen("OTHER", 0, 1024)]);

        Assert.Equal<ReconcileStep>([new DeleteVolumeStep("FILES", new VolumeId("r1", 1)), new DeleteVolumeStep("OTHER", new VolumeId("r1", 0))], plan.Steps);
        Assert.True(Reconciler.Plan("r1", null, Pools, []).InPlace);
    }

    [Fact]
    public void Volumes_that_are_not_desired_or_in_another_pool_are_deleted_after_the_desired_ones_are_made()
    {
        var plan = Reconciler.Plan("r1", Desired(volumes: [(0, 1024)]), Pools, [Seen("OTHER", 0, 1024), Seen("FILES", 5, 1024)]);

        Assert.Equal<ReconcileStep>(
            [
                new CreateVolumeStep("FILES", new VolumeId("r1", 0), 1024),
                new DeleteVolumeStep("FILES", new VolumeId("r1", 5)),
                new DeleteVolumeStep("OTHER", new VolumeId("r1", 0)),
            ],
            plan.Steps);
    }

    [Fact]
    public void A_diskless_replica_needs_no_storage_and_gives_up_leftover_volumes()
    {
        Assert.True(Reconciler.Plan("r1", Desired(pool: "DfltDisklessStorPool", diskless: true, volumes: [(0, 1024)]), Pools, []).InPlace);
        Assert.True(Reconciler.Plan("r1", Desired(pool: "DfltDisklessStorPool", volumes: [(0, 1024)]), Pools, []).InPlace);
        var leftover = Reconciler.Plan("r1", Desired(pool: "DfltDisklessStorPool", diskless: true, volumes: [(0, 1024)]), Pools, [Seen("FILES", 0, 1024)]);
        Assert.Equal<ReconcileStep>([new DeleteVolumeStep("FILES", new VolumeId("r1", 0))], leftover.Steps);
    }

    [Fact]
    public void A_pool_the_node_does_not_have_is_a_problem_not_a_step()
    {
        var plan = Reconciler.Plan("r1", Desired(pool: "missing", volumes: [(0, 1024)]), Pools, []);

        Assert.Empty(plan.Steps);
        Assert.NotNull(plan.Problem);
        Assert.Contains("'missing'", plan.Problem.Message, StringComparison.Ordinal);
        Assert.False(plan.InPlace);
    }

    [Theory]
    [InlineData(false, true, 1024, false, "UpToDate")]
    [InlineData(false, true, 512, false, "Creating")]
    [InlineData(false, false, 0, true, "Failed")]
    [InlineData(true, false, 0, false, "Diskless")]
    public void Disk_state_follows_what_is_observed(bool diskless, bool present, long usable, bool failing, string expected)
    {
        var desired = Desired(diskless: diskless, volumes: [(0, 1024)]);
        var observed = present ? Seen("FILES", 0, usable) : null;

        Assert.Equal(expected, Reconciler.DiskState(desired, desired.Volumes[0], observed, failing));
    }
}
