using Fabric.Node.Storage.Simulated;

namespace Fabric.Node.Drbd.Simulated;

/// <summary>Lets the simulated DRBD kernel see the sizes of the simulated storage provider's devices (<c>/dev/sim/&lt;pool&gt;/&lt;volume&gt;</c>).</summary>
public static class SimulatedBackingDevices
{
    private const string Prefix = "/dev/sim/";

    public static Func<string, long?> Resolver(SimulatedStorage storage) => device =>
    {
        if (!device.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var parts = device[Prefix.Length..].Split('/', 2);
        return parts.Length == 2
            ? storage.Volumes(parts[0]).FirstOrDefault(v => v.Id.StorageName == parts[1])?.UsableKiB
            : null;
    };

    /// <summary>
    /// A simulated node's DRBD: a kernel on <paramref name="network"/> whose meta-data store reads backing
    /// sizes from <paramref name="storage"/>; the storage cannot delete a volume DRBD holds, and a deleted
    /// volume takes its DRBD meta-data with it.
    /// </summary>
    public static DrbdDriver Driver(SimulatedDrbdNetwork network, string nodeName, SimulatedStorage storage)
    {
        var kernel = network.NodeNames.Contains(nodeName, StringComparer.Ordinal) ? network.Node(nodeName) : network.AddNode(nodeName);
        kernel.Metadata.DeviceSizeResolver = Resolver(storage);
        var metadata = kernel.Metadata;
        storage.HeldBy = device => metadata.AttachedMinor(device) is { } minor ? $"DRBD minor {minor}" : null;
        storage.Deleted = metadata.Wipe;
        return new DrbdDriver(kernel, kernel.Metadata);
    }
}
