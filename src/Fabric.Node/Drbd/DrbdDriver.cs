using Fabric.Node.Drbd.Config;
using Fabric.Node.Drbd.Kernel;

namespace Fabric.Node.Drbd;

/// <summary>A node's DRBD: the driver (netlink or simulated), its meta-data tool, and where its resources' .res files go (null: nowhere, e.g. simulated).</summary>
public sealed record DrbdDriver(IDrbdKernel Kernel, IDrbdMetadata Metadata, DrbdResFileStore? ResFiles = null);

/// <summary>Opens the node's DRBD driver; throws (e.g. <see cref="DrbdKernelException"/> "module not loaded") when there is none.</summary>
public delegate Task<DrbdDriver> DrbdDriverFactory(CancellationToken cancellationToken);
