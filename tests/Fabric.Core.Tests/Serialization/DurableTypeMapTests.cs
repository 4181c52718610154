using System.Reflection;
using System.Reflection.Emit;
using Fabric.Core.Serialization;
using Xunit;

namespace Fabric.Core.Tests.Serialization;

/// <summary>
/// Invalid durable types are emitted into throw-away dynamic assemblies: declaring them in this test
/// assembly would make registering it fail.
/// </summary>
public class DurableTypeMapTests
{
    [Fact]
    public void Fabric_Core_and_test_assemblies_build_a_map()
    {
        TestDurableTypes.Register();
        var map = DurableTypeRegistry.Current;

        Assert.True(map.TryGetType("test.sample-snapshot.v1", out var type));
        Assert.Equal(typeof(SampleSnapshot), type);
        Assert.Contains(typeof(IDurable).Assembly, DurableTypeRegistry.Assemblies);
    }

    [Fact]
    public void Duplicate_manifests_fail_naming_the_manifest_and_both_types()
    {
        var assembly = Emit(("Dup.First", "dup.v1", true), ("Dup.Second", "dup.v1", true));

        var e = Assert.Throws<InvalidOperationException>(() => DurableTypeMap.Build([assembly]));

        Assert.Contains("'dup.v1'", e.Message);
        Assert.Contains("Dup.First", e.Message);
        Assert.Contains("Dup.Second", e.Message);
    }

    [Fact]
    public void Durable_type_without_attribute_fails_naming_it()
    {
        var assembly = Emit(("Bare.Event", null, true));

        var e = Assert.Throws<InvalidOperationException>(() => DurableTypeMap.Build([assembly]));

        Assert.Contains("Bare.Event", e.Message);
        Assert.Contains(nameof(DurableAttribute), e.Message);
    }

    [Fact]
    public void Attribute_on_a_non_durable_type_fails()
    {
        var assembly = Emit(("Stray.Thing", "stray.v1", false));

        var e = Assert.Throws<InvalidOperationException>(() => DurableTypeMap.Build([assembly]));

        Assert.Contains("Stray.Thing", e.Message);
    }

    [Fact]
    public void Duplicate_with_an_already_registered_manifest_is_rejected_and_the_registry_is_unchanged()
    {
        TestDurableTypes.Register();
        var before = DurableTypeRegistry.Current;
        var assembly = Emit(("Clash.Snapshot", "test.sample-snapshot.v1", true));

        var e = Assert.Throws<InvalidOperationException>(() => DurableTypeRegistry.Register(assembly));

        Assert.Contains("test.sample-snapshot.v1", e.Message);
        Assert.Same(before, DurableTypeRegistry.Current);
        Assert.DoesNotContain(assembly, DurableTypeRegistry.Assemblies);
    }

    private static Assembly Emit(params (string Name, string? Manifest, bool Durable)[] types)
    {
        var assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("Emitted" + Guid.NewGuid().ToString("N")), AssemblyBuilderAccess.Run);
        var module = assembly.DefineDynamicModule("Main");
        var attributeCtor = typeof(DurableAttribute).GetConstructor([typeof(string)])!;
        foreach (var (name, manifest, durable) in types)
        {
            var type = module.DefineType(name, TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Class);
            if (durable)
                type.AddInterfaceImplementation(typeof(IDurable));
            if (manifest is not null)
                type.SetCustomAttribute(new CustomAttributeBuilder(attributeCtor, [manifest]));
            type.CreateType();
        }
        return assembly;
    }
}
