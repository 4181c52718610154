namespace Fabric.Node.Drbd.Netlink;

/// <summary>
/// A request uses something the loaded DRBD driver does not have, e.g. quorum or a diskless
/// client on the in-tree 8.4 driver (API 1). Raised before anything is sent to the kernel.
/// </summary>
public sealed class DrbdFeatureUnavailableException(string operation, string feature, string correction)
    : NotSupportedException($"DRBD {operation}: {feature} is not available with the loaded DRBD 8.4 driver (genl API 1). {correction}")
{
    public string Operation { get; } = operation;

    public string Feature { get; } = feature;
}
