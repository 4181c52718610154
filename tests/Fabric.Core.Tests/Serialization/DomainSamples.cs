using System.Collections.Immutable;
using Fabric.Core.Aggregates.Controller;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Aggregates.StoragePoolDefinitions;
using Fabric.Core.Properties;
using Fabric.Core.Views;

namespace Fabric.Core.Tests.Serialization;

/// <summary>One populated instance of every durable type of Fabric.Core's domain.</summary>
public static class DomainSamples
{
    private static readonly Guid U1 = Guid.Parse("11111111-2222-4333-8444-555555555555");
    private static readonly Guid U2 = Guid.Parse("66666666-7777-4888-9999-aaaaaaaaaaaa");

    public static readonly ImmutableSortedDictionary<string, string> SomeProps =
        ImmutableSortedDictionary<string, string>.Empty.Add("Aux/rack", "r1").Add("StorDriver/StorPoolName", "/srv/pool");

    public static readonly PropsChange SomeChange = PropsChange.Of(
        new Dictionary<string, string> { ["Aux/rack"] = "r2" }, ["Aux/old"], ["Aux/tmp"]);

    public static readonly NetInterface SomeNetIf = new("default", "10.0.0.1", 3366, "PLAIN", true, U1);

    public static readonly StoragePool SomePool = new("pool1", ProviderKind.FileThin, U2, SomeProps, "shared-a", true);

    public static NodeState SomeNode() => NodeState.Absent("ALPHA") with
    {
        Exists = true,
        Name = "alpha",
        Type = NodeType.Combined,
        Uuid = U1,
        CreatedAtMs = 1_700_000_000_123,
        Props = SomeProps,
        NetInterfaces = ImmutableSortedDictionary<string, NetInterface>.Empty.Add("DEFAULT", SomeNetIf),
        StoragePools = ImmutableSortedDictionary<string, StoragePool>.Empty.Add("POOL1", SomePool),
    };

    public static IEnumerable<object> All()
    {
        yield return new NodeCreated("alpha", NodeType.Satellite, U1, 1_700_000_000_123, SomeProps);
        yield return new NodeTypeChanged(NodeType.Combined);
        yield return new NodePropsChanged(SomeChange);
        yield return new NodeDeleted(true);
        yield return new NetInterfaceCreated(SomeNetIf);
        yield return new NetInterfaceModified(SomeNetIf with { Address = "fd00::1", SatellitePort = null });
        yield return new NetInterfaceDeleted("default");
        yield return new StoragePoolCreated(SomePool);
        yield return new StoragePoolPropsChanged("pool1", SomeChange);
        yield return new StoragePoolDeleted("pool1");
        yield return SomeNode();
        yield return new ControllerState(SomeProps);
        yield return new ControllerPropsChanged(SomeChange);
        yield return new StoragePoolDefinitionState("POOL1", true, "pool1", U2, SomeProps);
        yield return new StoragePoolDefinitionCreated("pool1", U2, SomeProps);
        yield return new StoragePoolDefinitionPropsChanged(SomeChange);
        yield return new StoragePoolDefinitionDeleted();
        yield return ReadModel.Empty
            .Upsert("node|ALPHA", 7, SomeNode())
            .Upsert("controller|CONTROLLER", 3, new ControllerState(SomeProps))
            .Upsert("storage-pool-definition|POOL1", 2, new StoragePoolDefinitionState("POOL1", true, "pool1", U2, SomeProps))
            .Upsert("resource-group|RG1", 4, ResourceSamples.SomeGroup())
            .Upsert("resource|RES1", 9, ResourceSamples.SomeResource())
            .ApplyEvent("allocator|MINOR", 1, new Fabric.Core.Aggregates.Allocators.NumberReserved("RES1/0#0a0b", 1000))
            .AtOffset(42);
    }
}
