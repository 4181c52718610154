using Fabric.Core.Aggregates;
using Fabric.Core.Aggregates.Controller;
using Fabric.Core.Aggregates.StoragePoolDefinitions;
using Fabric.Core.Api;
using Fabric.Core.Naming;
using Fabric.Core.Properties;

namespace Fabric.Core.Tests.Aggregates;

public sealed class PropsAndNamesTests
{
    [Fact]
    public void Apply_deletes_keys_then_namespaces_then_sets_overrides()
    {
        var props = Props.Apply(Props.Empty, PropsChange.Of(new Dictionary<string, string> { ["A/x"] = "1", ["A/y"] = "2", ["A/z/w"] = "3", ["B"] = "4", ["AB/q"] = "5" }));
        var after = Props.Apply(props, PropsChange.Of(new Dictionary<string, string> { ["A/new"] = "6" }, ["B"], ["A"]));
        Assert.Equal(new Dictionary<string, string> { ["A/new"] = "6", ["AB/q"] = "5" }, after);
    }

    [Theory]
    [InlineData("/lead")]
    [InlineData("trail/")]
    [InlineData("dou//ble")]
    [InlineData("has space")]
    [InlineData("")]
    public void Malformed_keys_are_described(string key) =>
        Assert.NotNull(Props.Validate(PropsChange.Of(new Dictionary<string, string> { [key] = "v" })));

    [Theory]
    [InlineData("node-1", true)]
    [InlineData("n1.example.com", true)]
    [InlineData("-n1", false)]
    [InlineData("n_1", false)]
    [InlineData("", false)]
    public void Node_names_follow_host_name_rules(string name, bool valid) =>
        Assert.Equal(valid, Names.CheckNodeName(name) is null);

    [Theory]
    [InlineData("pool1", true)]
    [InlineData("_p-1", true)]
    [InlineData("ab", false)]
    [InlineData("1pool", false)]
    [InlineData("po ol", false)]
    public void Storage_pool_names_follow_LINSTOR_rules(string name, bool valid) =>
        Assert.Equal(valid, Names.CheckStoragePoolName(name) is null);

    [Fact]
    public void Controller_props_report_each_change_and_warn_on_missing_keys()
    {
        var controller = ControllerAggregate.Instance;
        var decision = controller.Decide(controller.Initial("CONTROLLER"), new ModifyControllerProps(PropsChange.Of(null, ["Nope/x"])), new DecideContext(0, Guid.Empty));
        var accepted = Assert.IsType<Decision<IControllerEvent>.Accepted>(decision);
        Assert.Empty(accepted.Events);
        Assert.True(ApiConsts.IsWarning(Assert.Single(accepted.Messages).RetCode));
    }

    [Fact]
    public void Pool_definition_delete_is_refused_while_nodes_have_pools_of_its_name()
    {
        var definitions = StoragePoolDefinitionAggregate.Instance;
        var ctx = new DecideContext(0, Guid.NewGuid());
        var state = ((Decision<IStoragePoolDefinitionEvent>.Accepted)definitions.Decide(definitions.Initial("P1"), new CreateStoragePoolDefinition("p1x", Props.Empty), ctx)).Events
            .Aggregate(definitions.Initial("P1"), definitions.Apply);
        var refused = Assert.IsType<Decision<IStoragePoolDefinitionEvent>.Rejected>(definitions.Decide(state, new DeleteStoragePoolDefinition(["alpha"]), ctx));
        Assert.Equal(ApiConsts.FailInUse, ApiConsts.CodeOf(refused.Error.RetCode));
        Assert.IsType<Decision<IStoragePoolDefinitionEvent>.Accepted>(definitions.Decide(state, new DeleteStoragePoolDefinition([]), ctx));
    }
}
