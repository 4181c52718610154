using Fabric.Node.Drbd.Kernel;

namespace Fabric.Node.Drbd;

/// <summary>A node's DRBD: the driver (netlink or simulated) and its meta-data tool.</summary>
public sealed record DrbdDriver(IDrbdKernel Kernel, IDrbdMetadata Metadata);

/// <summary>Opens the node's DRBD driver; throws (e.g. <see cref="DrbdKernelException"/> "module not loaded") when there is none.</summary>
public delegate Task<DrbdDriver> DrbdDriverFactory(CancellationToken cancellationToken);
