using Fabric.Core.Aggregates.Nodes;
using Fabric.Node.Drbd.Config;
using Fabric.Node.Storage;

namespace Fabric.Node.Tests.Drbd.Config;

public sealed class PredictedBackingDeviceTests
{
    [Theory]
    [InlineData(ProviderKind.Lvm, "vg0", "/dev/vg0/pvc-1_00003")]
    [InlineData(ProviderKind.LvmThin, "vg0/thin", "/dev/vg0/pvc-1_00003")]
    [InlineData(ProviderKind.Zfs, "tank/fabric", "/dev/zvol/tank/fabric/pvc-1_00003")]
    [InlineData(ProviderKind.ZfsThin, "tank", "/dev/zvol/tank/pvc-1_00003")]
    [InlineData(ProviderKind.FileThin, "/var/lib/fabric/pool", null)]
    [InlineData(ProviderKind.File, "/var/lib/fabric/pool", null)]
    [InlineData(ProviderKind.Diskless, "", null)]
    [InlineData(ProviderKind.Lvm, " ", null)]
    public void The_device_follows_from_the_pool_and_the_volume_name_where_the_provider_names_it(ProviderKind kind, string store, string? expected)
    {
        Assert.Equal(expected, PredictedBackingDevice.Of(kind, store, new VolumeId("pvc-1", 3)));
    }
}
