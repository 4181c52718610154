using System.Collections.Immutable;
using Fabric.Core.Aggregates;
using Fabric.Core.Aggregates.ResourceGroups;
using Fabric.Core.Api;
using Fabric.Core.Properties;

namespace Fabric.Core.Tests.Aggregates;

public sealed class ResourceGroupAggregateTests
{
    private static readonly ResourceGroupAggregate Group = ResourceGroupAggregate.Instance;
    private static readonly DecideContext Ctx = new(0, Guid.Parse("0f0e0d0c-0b0a-4909-8807-060504030201"));

    private static (ResourceGroupState State, Decision<IResourceGroupEvent> Decision) Run(ResourceGroupState state, IResourceGroupCommand command)
    {
        var decision = Group.Decide(state, command, Ctx);
        return decision is Decision<IResourceGroupEvent>.Accepted a ? (a.Events.Aggregate(state, Group.Apply), decision) : (state, decision);
    }

    private static CreateResourceGroup Create(string name, AutoSelectFilter? filter = null) => new(name, "d", Props.Empty, filter, null);

    private static long Code(Decision<IResourceGroupEvent> d) => ApiConsts.CodeOf(Assert.IsType<Decision<IResourceGroupEvent>.Rejected>(d).Error.RetCode);

    [Fact]
    public void The_default_group_exists_without_being_created_and_cannot_be_deleted()
    {
        var dflt = Group.Initial(ResourceGroupState.DefaultKey);

        Assert.True(dflt.Exists);
        Assert.Equal("DfltRscGrp", dflt.Name);
        Assert.Equal(ApiConsts.FailInUse, Code(Run(dflt, new DeleteResourceGroup([])).Decision));
    }

    [Fact]
    public void A_modify_merges_the_select_filter_field_by_field()
    {
        var (state, _) = Run(Group.Initial("RG1"), Create("rg1", new AutoSelectFilter { PlaceCount = 3, StoragePool = "thin" }));

        var (modified, _) = Run(state, new ModifyResourceGroup(null, PropsChange.None, new AutoSelectFilter { PlaceCount = 2 }, null));

        Assert.Equal(2, modified.SelectFilter.PlaceCount);
        Assert.Equal("thin", modified.SelectFilter.StoragePool);
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(33, null)]
    [InlineData(2, "([")]
    public void Bad_select_filters_are_refused(int placeCount, string? regex)
    {
        var (_, decision) = Run(Group.Initial("RG1"), Create("rg1", new AutoSelectFilter { PlaceCount = placeCount, NotPlaceWithRscRegex = regex }));

        Assert.Equal(ApiConsts.FailInvldPlaceCount, Code(decision));
    }

    [Fact]
    public void A_group_in_use_is_not_deleted_and_duplicates_are_refused()
    {
        var (state, _) = Run(Group.Initial("RG1"), Create("rg1"));

        Assert.Equal(ApiConsts.FailExistsRscDfn, Code(Run(state, new DeleteResourceGroup(["res1"])).Decision));
        Assert.Equal(ApiConsts.FailExistsRscGrp, Code(Run(state, Create("RG1")).Decision));
        Assert.False(Run(state, new DeleteResourceGroup([])).State.Exists);
    }

    [Fact]
    public void Volume_groups_take_the_next_free_number_and_toggle_flags()
    {
        var (state, _) = Run(Group.Initial("RG1"), Create("rg1"));
        (state, _) = Run(state, new CreateVolumeGroup(null, Props.Empty, []));
        (state, _) = Run(state, new CreateVolumeGroup(null, Props.Empty, ["gross_size"]));

        Assert.Equal([0, 1], state.VolumeGroups.Keys);
        Assert.Equal(["GROSS_SIZE"], state.VolumeGroups[1].Flags);
        var (modified, _) = Run(state, new ModifyVolumeGroup(1, PropsChange.None, ["-GROSS_SIZE"]));
        Assert.Empty(modified.VolumeGroups[1].Flags);
        Assert.Equal(ApiConsts.FailExistsVlmGrp, Code(Run(state, new CreateVolumeGroup(0, Props.Empty, [])).Decision));
        Assert.Equal(ApiConsts.FailNotFoundVlmGrp, Code(Run(state, new DeleteVolumeGroup(7)).Decision));
    }
}
