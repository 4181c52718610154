using System.Collections.Immutable;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Node.Storage;
using Fabric.Node.Storage.Files;
using Fabric.Node.Storage.Lvm;
using Fabric.Node.Storage.Zfs;
using Fabric.Node.Tests.Infrastructure;

namespace Fabric.Node.Tests.Storage;

public sealed class StorageProvidersTests
{
    [Theory]
    [InlineData(ProviderKind.Diskless, typeof(DisklessProvider))]
    [InlineData(ProviderKind.Lvm, typeof(LvmProvider))]
    [InlineData(ProviderKind.LvmThin, typeof(LvmThinProvider))]
    [InlineData(ProviderKind.Zfs, typeof(ZfsProvider))]
    [InlineData(ProviderKind.ZfsThin, typeof(ZfsProvider))]
    [InlineData(ProviderKind.File, typeof(FileProvider))]
    [InlineData(ProviderKind.FileThin, typeof(FileProvider))]
    public void Host_registry_maps_each_kind_to_its_real_provider(ProviderKind kind, Type type)
    {
        using var runner = new ScriptedCommandRunner();

        var provider = StorageProviders.ForHost(runner).For(kind);

        Assert.IsType(type, provider);
        Assert.Equal(kind, provider.Kind);
    }

    [Fact]
    public void A_kind_without_provider_is_a_storage_exception_naming_it()
    {
        var providers = new StorageProviders([new DisklessProvider()]);

        var error = Assert.Throws<StorageException>(() => providers.For(ProviderKind.ZfsThin));

        Assert.Contains("ZFS_THIN", error.Message);
        Assert.False(providers.TryGet(ProviderKind.ZfsThin, out _));
        Assert.True(providers.TryGet(ProviderKind.Diskless, out _));
    }

    [Fact]
    public void Pool_spec_reads_the_backing_store_from_the_stor_pool_name_property()
    {
        var pool = PoolSpec.From("p", ProviderKind.LvmThin, new Dictionary<string, string>
        {
            [ProviderKinds.BackingStoreProp] = " vg0/thin ",
            ["Other"] = "x",
        });

        Assert.Equal("vg0/thin", pool.BackingStore);
        Assert.Equal("x", pool.Props["Other"]);
        Assert.Equal("", PoolSpec.From("p", ProviderKind.Lvm, ImmutableDictionary<string, string>.Empty).BackingStore);
    }
}
