using System.Net;

namespace Fabric.Node.Drbd.Kernel;

/// <summary>
/// The DRBD driver of one host as typed operations, in DRBD 9's model. Implemented over generic
/// netlink (<c>NetlinkDrbdKernel</c>: API 2 for DRBD 9, API 1 for the in-tree 8.4 driver, which
/// maps peers, paths and per-resource roles onto 8.4's per-minor commands) and by the simulated
/// kernel. Every operation either succeeds or throws <see cref="DrbdKernelException"/> (with the
/// driver's code and text); a transient refusal (SS_IN_TRANSIENT_STATE, SS_CONCURRENT_ST_CHG) is
/// retried inside with back-off before it is thrown. Operations are not idempotent: callers plan
/// from observed state.
/// </summary>
public interface IDrbdKernel : IAsyncDisposable
{
    DrbdKernelInfo Info { get; }

    /// <summary>
    /// Follows the driver's state race-free: joins the event group, dumps the initial state and
    /// delivers it as one <see cref="DrbdEventBatch.IsInitialState"/> batch, then each atomic change
    /// in sequence order. When events were lost (socket overflow, a gap) it re-dumps and delivers a
    /// new initial-state batch. Returns once the first initial state was delivered. Callbacks run
    /// on a background thread, one at a time. <paramref name="onFailure"/> is called when the
    /// stream ends for good (module unloaded, socket error); dispose the subscription to stop.
    /// </summary>
    Task<IAsyncDisposable> SubscribeAsync(Action<DrbdEventBatch> onBatch, Action<Exception> onFailure, CancellationToken cancellationToken);

    /// <summary>A one-off dump of every DRBD object (as an initial-state batch).</summary>
    Task<DrbdEventBatch> DumpStateAsync(CancellationToken cancellationToken);

    Task NewResourceAsync(string resource, int nodeId, DrbdResourceOptions options, CancellationToken cancellationToken);

    Task ChangeResourceOptionsAsync(string resource, DrbdResourceOptions options, CancellationToken cancellationToken);

    Task NewMinorAsync(string resource, int minor, int volume, bool intentionalDiskless, CancellationToken cancellationToken);

    Task DeleteMinorAsync(int minor, CancellationToken cancellationToken);

    Task DeleteResourceAsync(string resource, CancellationToken cancellationToken);

    Task AttachAsync(int minor, DrbdDiskConfig disk, CancellationToken cancellationToken);

    Task ChangeDiskOptionsAsync(int minor, DrbdDiskOptions options, CancellationToken cancellationToken);

    /// <param name="intentionalDiskless">The device stays a diskless client (toggle diskful → diskless).</param>
    Task DetachAsync(int minor, bool force, bool intentionalDiskless, CancellationToken cancellationToken);

    Task NewPeerAsync(string resource, int peerNodeId, DrbdNetOptions options, CancellationToken cancellationToken);

    Task ChangeNetOptionsAsync(string resource, int peerNodeId, DrbdNetOptions options, CancellationToken cancellationToken);

    Task DeletePeerAsync(string resource, int peerNodeId, bool force, CancellationToken cancellationToken);

    Task NewPathAsync(string resource, int peerNodeId, IPEndPoint local, IPEndPoint peer, CancellationToken cancellationToken);

    Task DeletePathAsync(string resource, int peerNodeId, IPEndPoint local, IPEndPoint peer, CancellationToken cancellationToken);

    Task ConnectAsync(string resource, int peerNodeId, bool discardMyData, CancellationToken cancellationToken);

    Task DisconnectAsync(string resource, int peerNodeId, bool force, CancellationToken cancellationToken);

    Task ChangePeerDeviceOptionsAsync(string resource, int peerNodeId, int volume, DrbdPeerDeviceOptions options, CancellationToken cancellationToken);

    /// <param name="force">Promote even without UpToDate data (the initial "primary --force" that makes one side the sync source).</param>
    Task PrimaryAsync(string resource, bool force, CancellationToken cancellationToken);

    Task SecondaryAsync(string resource, bool force, CancellationToken cancellationToken);

    /// <param name="sizeKiB">Null: use the backing device's size.</param>
    /// <param name="assumeClean">Do not resync the added area (thin backing devices).</param>
    Task ResizeAsync(int minor, long? sizeKiB, bool assumeClean, CancellationToken cancellationToken);

    /// <param name="clearBitmap">Skip the initial sync (all peers just created their meta-data).</param>
    Task NewCurrentUuidAsync(int minor, bool clearBitmap, CancellationToken cancellationToken);

    Task ResumeIoAsync(int minor, CancellationToken cancellationToken);

    Task ForgetPeerAsync(string resource, int peerNodeId, CancellationToken cancellationToken);

    /// <summary>Tears the whole resource down (disconnect, detach, delete minors and resource). Succeeds when it does not exist.</summary>
    Task DownAsync(string resource, CancellationToken cancellationToken);
}
