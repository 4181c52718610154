using System.Reflection;
using Fabric.Core.Serialization;
using Xunit;

namespace Fabric.Core.Tests.Serialization;

public class DurableSamplesCoverageTests
{
    [Fact]
    public void Catalog_has_an_instance_of_every_concrete_durable_type_in_Fabric_Core_and_the_tests()
    {
        var sampled = DurableSamples.All().Select(o => o.GetType()).ToHashSet();

        var missing = new[] { typeof(IDurable).Assembly, typeof(DurableSamples).Assembly }
            .SelectMany(ConcreteDurableTypes)
            .Where(t => !sampled.Contains(t))
            .Select(t => t.FullName)
            .ToList();

        Assert.True(missing.Count == 0,
            "DurableSamples.All() lacks an instance of: " + string.Join(", ", missing) +
            ". Add a populated instance of each to tests/Fabric.Core.Tests/Serialization/DurableSamples.cs.");
    }

    [Fact]
    public void Catalog_holds_one_instance_per_type()
    {
        var duplicated = DurableSamples.All().GroupBy(o => o.GetType()).Where(g => g.Count() > 1).Select(g => g.Key.Name);
        Assert.Empty(duplicated);
    }

    [Fact]
    public void Every_registered_durable_type_is_in_the_catalog()
    {
        TestDurableTypes.Register();
        var sampled = DurableSamples.All().Select(o => o.GetType()).ToHashSet();
        Assert.All(DurableTypeRegistry.Current.TypesByManifest.Values, t => Assert.Contains(t, sampled));
    }

    private static IEnumerable<Type> ConcreteDurableTypes(Assembly assembly) =>
        assembly.GetTypes().Where(t => typeof(IDurable).IsAssignableFrom(t) && t is { IsInterface: false, IsAbstract: false });
}
