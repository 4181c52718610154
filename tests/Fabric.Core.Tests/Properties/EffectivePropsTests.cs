using Fabric.Core.Properties;

namespace Fabric.Core.Tests.Properties;

public sealed class EffectivePropsTests
{
    private static PropsLevel Level(string type, params (string Key, string Value)[] props) =>
        new(type, $"{type} object", props.ToDictionary(p => p.Key, p => p.Value));

    [Fact]
    public void The_highest_level_wins_and_lower_values_are_listed_as_overridden_in_priority_order()
    {
        var result = EffectiveProps.Resolve(
        [
            Level(EffectiveProps.Resource, ("A/x", "rsc")),
            Level(EffectiveProps.ResourceDefinition, ("A/x", "rd"), ("A/y", "rd-y")),
            Level(EffectiveProps.ResourceGroup),
            Level(EffectiveProps.Node, ("A/x", "node"), ("A/z", "node-z")),
            Level(EffectiveProps.Controller, ("A/x", "ctrl"), ("A/y", "ctrl-y")),
        ]);

        Assert.Equal(["A/x", "A/y", "A/z"], result.Keys);
        var x = result["A/x"];
        Assert.Equal(new PropSource(EffectiveProps.Resource, "rsc", "RESOURCE object"), x.Active);
        Assert.Equal(["rd", "node", "ctrl"], x.Overridden.Select(o => o.Value));
        Assert.Equal([EffectiveProps.ResourceDefinition, EffectiveProps.Node, EffectiveProps.Controller], x.Overridden.Select(o => o.Type));
        Assert.Equal("rd-y", result["A/y"].Active.Value);
        Assert.Equal(EffectiveProps.Controller, Assert.Single(result["A/y"].Overridden).Type);
        Assert.Equal(EffectiveProps.Node, result["A/z"].Active.Type);
        Assert.Empty(result["A/z"].Overridden);
    }

    [Fact]
    public void No_levels_or_empty_levels_give_an_empty_map()
    {
        Assert.Empty(EffectiveProps.Resolve([]));
        Assert.Empty(EffectiveProps.Resolve([Level(EffectiveProps.Resource), Level(EffectiveProps.Controller)]));
    }

    [Fact]
    public void Lookup_takes_the_first_level_that_sets_the_key_and_skips_missing_levels()
    {
        var node = new Dictionary<string, string> { ["StorPoolName"] = "fast" };
        var ctrl = new Dictionary<string, string> { ["StorPoolName"] = "slow", ["Other"] = "o" };
        Assert.Equal("fast", EffectiveProps.Lookup("StorPoolName", null, new Dictionary<string, string>(), node, ctrl));
        Assert.Equal("o", EffectiveProps.Lookup("Other", null, node, ctrl));
        Assert.Null(EffectiveProps.Lookup("Missing", node, ctrl));
    }
}
