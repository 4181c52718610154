using System.Collections.Immutable;
using System.Net;
using Fabric.Node.Drbd.Kernel;

namespace Fabric.Node.Drbd.Simulated;

/// <summary>
/// The DRBD 9 kernel of one simulated node (created by <see cref="SimulatedDrbdNetwork.AddNode"/>).
/// Every operation is atomic over the shared network, fails with <see cref="DrbdKernelException"/>
/// and DRBD's own codes, and its notifications reach every subscriber before the returned task
/// completes. A powered-off node answers every call with ENODEV.
/// </summary>
public sealed class SimulatedDrbdKernel : IDrbdKernel
{
    private static readonly ImmutableSortedSet<int> Commands =
        [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 24, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 40, 41, 42, 43, 44, 45, 46, 47, 48];

    private readonly SimulatedDrbdNetwork _network;
    private readonly SimNode _node;

    internal SimulatedDrbdKernel(SimulatedDrbdNetwork network, SimNode node)
    {
        _network = network;
        _node = node;
    }

    public string NodeName => _node.Name;

    public SimulatedDrbdNetwork Network => _network;

    /// <summary>This node's meta-data store (what <c>drbdmeta</c> would read and write).</summary>
    public SimulatedDrbdMetadata Metadata => _node.Metadata;

    public DrbdKernelInfo Info { get; } = new(DrbdApiVersion.V2, "simulated", Commands);

    /// <summary>Test hook: an application write of <paramref name="lengthKiB"/> to the device of <paramref name="minor"/>.</summary>
    public Task<SimulatedWriteResult> WriteAsync(int minor, long lengthKiB = 4, CancellationToken cancellationToken = default)
    {
        try
        {
            return Task.FromResult(_network.Execute(_node, "write", cancellationToken, () => _network.Write(_node, minor, lengthKiB)));
        }
        catch (Exception failure)
        {
            return Task.FromException<SimulatedWriteResult>(failure);
        }
    }

    public Task<IAsyncDisposable> SubscribeAsync(Action<DrbdEventBatch> onBatch, Action<Exception> onFailure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onBatch);
        ArgumentNullException.ThrowIfNull(onFailure);
        try
        {
            return Task.FromResult(_network.Execute(_node, "events", cancellationToken, () => _network.Subscribe(_node, onBatch, onFailure)));
        }
        catch (Exception failure)
        {
            return Task.FromException<IAsyncDisposable>(failure);
        }
    }

    public Task<DrbdEventBatch> DumpStateAsync(CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult(_network.Execute(_node, "get-initial-state", cancellationToken, () => _network.Dump(_node)));
        }
        catch (Exception failure)
        {
            return Task.FromException<DrbdEventBatch>(failure);
        }
    }

    public Task NewResourceAsync(string resource, int nodeId, DrbdResourceOptions options, CancellationToken cancellationToken) =>
        Run("new-resource", cancellationToken, () => _network.NewResource(_node, resource, nodeId, options));

    public Task ChangeResourceOptionsAsync(string resource, DrbdResourceOptions options, CancellationToken cancellationToken) =>
        Run("resource-options", cancellationToken, () => _network.ChangeResourceOptions(_node, resource, options));

    public Task NewMinorAsync(string resource, int minor, int volume, bool intentionalDiskless, CancellationToken cancellationToken) =>
        Run("new-minor", cancellationToken, () => _network.NewMinor(_node, resource, minor, volume, intentionalDiskless));

    public Task DeleteMinorAsync(int minor, CancellationToken cancellationToken) =>
        Run("del-minor", cancellationToken, () => _network.DeleteMinor(_node, minor));

    public Task DeleteResourceAsync(string resource, CancellationToken cancellationToken) =>
        Run("del-resource", cancellationToken, () => _network.DeleteResource(_node, resource));

    public Task AttachAsync(int minor, DrbdDiskConfig disk, CancellationToken cancellationToken) =>
        Run("attach", cancellationToken, () => _network.Attach(_node, minor, disk));

    public Task ChangeDiskOptionsAsync(int minor, DrbdDiskOptions options, CancellationToken cancellationToken) =>
        Run("disk-options", cancellationToken, () => _network.ChangeDiskOptions(_node, minor, options));

    public Task DetachAsync(int minor, bool force, bool intentionalDiskless, CancellationToken cancellationToken) =>
        Run("detach", cancellationToken, () => _network.Detach(_node, minor, force, intentionalDiskless));

    public Task NewPeerAsync(string resource, int peerNodeId, DrbdNetOptions options, CancellationToken cancellationToken) =>
        Run("new-peer", cancellationToken, () => _network.NewPeer(_node, resource, peerNodeId, options));

    public Task ChangeNetOptionsAsync(string resource, int peerNodeId, DrbdNetOptions options, CancellationToken cancellationToken) =>
        Run("net-options", cancellationToken, () => _network.ChangeNetOptions(_node, resource, peerNodeId, options));

    public Task DeletePeerAsync(string resource, int peerNodeId, bool force, CancellationToken cancellationToken) =>
        Run("del-peer", cancellationToken, () => _network.DeletePeer(_node, resource, peerNodeId, force));

    public Task NewPathAsync(string resource, int peerNodeId, IPEndPoint local, IPEndPoint peer, CancellationToken cancellationToken) =>
        Run("new-path", cancellationToken, () => _network.NewPath(_node, resource, peerNodeId, local, peer));

    public Task DeletePathAsync(string resource, int peerNodeId, IPEndPoint local, IPEndPoint peer, CancellationToken cancellationToken) =>
        Run("del-path", cancellationToken, () => _network.DeletePath(_node, resource, peerNodeId, local, peer));

    public Task ConnectAsync(string resource, int peerNodeId, bool discardMyData, CancellationToken cancellationToken) =>
        Run("connect", cancellationToken, () => _network.Connect(_node, resource, peerNodeId, discardMyData));

    public Task DisconnectAsync(string resource, int peerNodeId, bool force, CancellationToken cancellationToken) =>
        Run("disconnect", cancellationToken, () => _network.Disconnect(_node, resource, peerNodeId, force));

    public Task ChangePeerDeviceOptionsAsync(string resource, int peerNodeId, int volume, DrbdPeerDeviceOptions options, CancellationToken cancellationToken) =>
        Run("peer-device-options", cancellationToken, () => _network.ChangePeerDeviceOptions(_node, resource, peerNodeId, volume, options));

    public Task PrimaryAsync(string resource, bool force, CancellationToken cancellationToken) =>
        Run("primary", cancellationToken, () => _network.Primary(_node, resource, force));

    public Task SecondaryAsync(string resource, bool force, CancellationToken cancellationToken) =>
        Run("secondary", cancellationToken, () => _network.Secondary(_node, resource));

    public Task ResizeAsync(int minor, long? sizeKiB, bool assumeClean, CancellationToken cancellationToken) =>
        Run("resize", cancellationToken, () => _network.Resize(_node, minor, sizeKiB, assumeClean));

    public Task NewCurrentUuidAsync(int minor, bool clearBitmap, CancellationToken cancellationToken) =>
        Run("new-current-uuid", cancellationToken, () => _network.NewCurrentUuid(_node, minor, clearBitmap));

    public Task ResumeIoAsync(int minor, CancellationToken cancellationToken) =>
        Run("resume-io", cancellationToken, () => _network.ResumeIo(_node, minor));

    public Task ForgetPeerAsync(string resource, int peerNodeId, CancellationToken cancellationToken) =>
        Run("forget-peer", cancellationToken, () => _network.ForgetPeer(_node, resource, peerNodeId));

    public Task DownAsync(string resource, CancellationToken cancellationToken) =>
        Run("down", cancellationToken, () => _network.Down(_node, resource));

    /// <summary>The kernel lives as long as its network; disposing a handle changes nothing.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private Task Run(string operation, CancellationToken cancellationToken, Action action) => _network.Run(_node, operation, cancellationToken, action);
}
