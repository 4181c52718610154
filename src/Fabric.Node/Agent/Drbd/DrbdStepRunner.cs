using System.Net;
using Fabric.Node.Drbd;
using Fabric.Node.Drbd.Config;
using Fabric.Node.Drbd.Kernel;
using Fabric.Node.Drbd.Planning;

namespace Fabric.Node.Agent.Drbd;

/// <summary>
/// Runs the planner's steps against the node's driver. The plan comes from the last state the
/// driver reported, which may lag the calls just made; so a step whose object already exists (or
/// is already attached or connected) counts as done instead of failing the resource.
/// </summary>
public static class DrbdStepRunner
{
    /// <summary>ret codes meaning "what this step makes is already there".</summary>
    private static readonly HashSet<int> AlreadyDone =
    [
        174, // ERR_ALREADY_EXISTS
        161, // ERR_MINOR_OR_VOLUME_EXISTS
        124, // ERR_DISK_CONFIGURED
        125, // ERR_NET_CONFIGURED
        151, // ERR_CONNECTED
        176, // ERR_PATH_COLLISION
        -9,  // SS_ALREADY_STANDALONE
        2,   // SS_NOTHING_TO_DO
    ];

    /// <summary>Runs one step; a refusal saying its object is already there counts as done (the driver's state ran ahead of the notifications the plan was made from).</summary>
    public static Task RunAsync(DrbdStep step, DrbdDriver driver, CancellationToken cancellationToken) =>
        AlreadyDoneCountsAsync(() => RunStepAsync(step, driver, cancellationToken));

    private static async Task RunStepAsync(DrbdStep step, DrbdDriver driver, CancellationToken cancellationToken)
    {
        var kernel = driver.Kernel;
        switch (step)
        {
            case NewResourceStep s:
                await kernel.NewResourceAsync(s.Resource, s.NodeId, s.Options, cancellationToken).ConfigureAwait(false);
                break;
            case ResourceOptionsStep s:
                await kernel.ChangeResourceOptionsAsync(s.Resource, s.Options, cancellationToken).ConfigureAwait(false);
                break;
            case NewMinorStep s:
                await kernel.NewMinorAsync(s.Resource, s.Minor, s.Volume, s.IntentionalDiskless, cancellationToken).ConfigureAwait(false);
                break;
            case EnsureMetadataStep s:
                if (await driver.Metadata.HasMetadataAsync(s.Minor, s.BackingDevice, cancellationToken).ConfigureAwait(false))
                {
                    // Meta-data from before (a restart, a power loss): replay its activity log first.
                    await driver.Metadata.ApplyActivityLogAsync(s.Minor, s.BackingDevice, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await driver.Metadata.CreateMetadataAsync(s.Minor, s.BackingDevice, s.PeerSlots, cancellationToken).ConfigureAwait(false);
                }
                break;
            case AttachStep s:
                await kernel.AttachAsync(s.Minor, s.Disk, cancellationToken).ConfigureAwait(false);
                break;
            case DetachStep s:
                await kernel.DetachAsync(s.Minor, force: false, s.IntentionalDiskless, cancellationToken).ConfigureAwait(false);
                break;
            case DeleteMinorStep s:
                await kernel.DeleteMinorAsync(s.Minor, cancellationToken).ConfigureAwait(false);
                break;
            case NewPeerStep s:
                await kernel.NewPeerAsync(s.Resource, s.Peer.Endpoint.NodeId, s.Net, cancellationToken).ConfigureAwait(false);
                break;
            case NetOptionsStep s:
                await kernel.ChangeNetOptionsAsync(s.Resource, s.PeerNodeId, s.Options, cancellationToken).ConfigureAwait(false);
                break;
            case DiskOptionsStep s:
                await kernel.ChangeDiskOptionsAsync(s.Minor, s.Options, cancellationToken).ConfigureAwait(false);
                break;
            case MovePathStep s:
                await MovePathAsync(kernel, s, cancellationToken).ConfigureAwait(false);
                break;
            case NewPathStep s:
                await kernel.NewPathAsync(s.Resource, s.Peer.Endpoint.NodeId, EndPoint(s.Local), EndPoint(s.Peer.Endpoint), cancellationToken).ConfigureAwait(false);
                break;
            case PeerDeviceOptionsStep s:
                await kernel.ChangePeerDeviceOptionsAsync(s.Resource, s.PeerNodeId, s.Volume, s.Options, cancellationToken).ConfigureAwait(false);
                break;
            case ConnectStep s:
                await kernel.ConnectAsync(s.Resource, s.PeerNodeId, discardMyData: false, cancellationToken).ConfigureAwait(false);
                break;
            case DeletePeerStep s:
                await kernel.DeletePeerAsync(s.Resource, s.PeerNodeId, force: true, cancellationToken).ConfigureAwait(false);
                if (kernel.Info.IsDrbd9)
                {
                    await ForgetPeerQuietlyAsync(kernel, s, cancellationToken).ConfigureAwait(false);
                }
                break;
            case ResizeStep s:
                await kernel.ResizeAsync(s.Minor, null, s.AssumeClean, cancellationToken).ConfigureAwait(false);
                break;
            case InitialUpToDateStep s when s.SkipInitialSync:
                foreach (var minor in s.Minors)
                {
                    await kernel.NewCurrentUuidAsync(minor, clearBitmap: true, cancellationToken).ConfigureAwait(false);
                }
                break;
            case InitialUpToDateStep s:
                await kernel.PrimaryAsync(s.Resource, force: true, cancellationToken).ConfigureAwait(false);
                await kernel.SecondaryAsync(s.Resource, force: false, cancellationToken).ConfigureAwait(false);
                break;
            case DownStep s:
                await kernel.DownAsync(s.Resource, cancellationToken).ConfigureAwait(false);
                break;
            default:
                throw new InvalidOperationException($"Unknown DRBD step {step.GetType().Name}");
        }
    }

    /// <summary>
    /// Disconnect (DRBD 9: a path in use cannot be deleted; 8.4's delete-path disconnects itself),
    /// delete the old path, add the new one, connect. Each part that the driver finds already done counts as done.
    /// </summary>
    private static async Task MovePathAsync(IDrbdKernel kernel, MovePathStep step, CancellationToken cancellationToken)
    {
        var peerId = step.Peer.Endpoint.NodeId;
        if (kernel.Info.IsDrbd9)
        {
            await AlreadyDoneCountsAsync(() => kernel.DisconnectAsync(step.Resource, peerId, force: false, cancellationToken)).ConfigureAwait(false);
        }
        await AlreadyDoneCountsAsync(() => kernel.DeletePathAsync(step.Resource, peerId, EndPoint(step.OldLocal), EndPoint(step.OldPeer), cancellationToken)).ConfigureAwait(false);
        await kernel.NewPathAsync(step.Resource, peerId, EndPoint(step.Local), EndPoint(step.Peer.Endpoint), cancellationToken).ConfigureAwait(false);
        await kernel.ConnectAsync(step.Resource, peerId, discardMyData: false, cancellationToken).ConfigureAwait(false);
    }

    private static async Task AlreadyDoneCountsAsync(Func<Task> call)
    {
        try
        {
            await call().ConfigureAwait(false);
        }
        catch (DrbdKernelException ex) when (AlreadyDone.Contains(ex.RetCode))
        {
        }
    }

    /// <summary>Frees the removed peer's bitmap slot; a failure here leaves only a slot in use, so it does not fail the step.</summary>
    private static async Task ForgetPeerQuietlyAsync(IDrbdKernel kernel, DeletePeerStep step, CancellationToken cancellationToken)
    {
        try
        {
            await kernel.ForgetPeerAsync(step.Resource, step.PeerNodeId, cancellationToken).ConfigureAwait(false);
        }
        catch (DrbdKernelException)
        {
        }
    }

    public static IPEndPoint EndPoint(DrbdEndpoint endpoint) => new(IPAddress.Parse(endpoint.Address), endpoint.Port);
}
