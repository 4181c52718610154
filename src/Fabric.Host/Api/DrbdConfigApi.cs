using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Aggregates.Resources;
using Fabric.Core.Api;
using Fabric.Core.Naming;
using Fabric.Core.Protocol;
using Fabric.Core.Views;
using Fabric.Node.Drbd.Config;
using Fabric.Node.Storage;
using static Fabric.Core.Api.ApiConsts;

namespace Fabric.Host.Api;

/// <summary>
/// Fabric extension, not in LINSTOR's API: <c>GET /v1/resource-definitions/{rd}/resources/{node}/drbd-config</c>
/// answers <c>text/plain</c> with the <c>.res</c> file of that replica as its node renders it (DRBD 9 form;
/// <c>?format=8.4</c> for the 8.4 form). The backing devices are those the node's agent reported, else the
/// ones its storage provider names predictably (LVM, ZFS). Errors are LINSTOR ApiCallRc lists: 404 for an
/// unknown definition or replica, 400 when the resource has no DRBD layer or its configuration cannot be built.
/// </summary>
public static class DrbdConfigApi
{
    public const string Route = "/v1/resource-definitions/{rd}/resources/{node}/drbd-config";

    public static void MapDrbdConfig(this IEndpointRouteBuilder app) =>
        app.MapGet(Route, (string rd, string node, string? format, ApiContext api) =>
        {
            if (!api.TryGet(out _, out var model))
            {
                return ApiResponses.Starting();
            }
            var (text, error, status) = Render(model, api.NodeStatus, rd, node, format);
            return text is not null ? Results.Text(text, "text/plain", System.Text.Encoding.UTF8) : ApiResponses.Error(error!, status);
        });

    /// <summary>The file, or the error and its HTTP status.</summary>
    internal static (string? Text, ApiCallRc? Error, int Status) Render(ReadModel model, NodeStatusBoard board, string rd, string node, string? format)
    {
        if (ParseFormat(format) is not { } resFormat)
        {
            return Fail(Reject(FailInvldRequest, $"Unknown DRBD configuration format '{format}'.", "The format is 9 (the default) or 8.4.", "Leave out ?format, or use ?format=8.4."));
        }
        if (ResourceDefinitionsApi.Find(model, rd) is not { } state)
        {
            return (null, ResourceAggregate.NotFound(rd, 0), StatusCodes.Status404NotFound);
        }
        var nodeKey = Names.Key(node);
        if (!state.Replicas.TryGetValue(nodeKey, out var replica))
        {
            return (null, ResourceAggregate.ReplicaNotFound(state.Name, node, 0), StatusCodes.Status404NotFound);
        }
        if (DesiredStateRules.ForResource(state, nodeKey, model) is not { } desired)
        {
            return Fail(Reject(
                FailInvldRequest,
                $"Resource '{state.Name}' on node '{replica.NodeName}' is still being created.",
                "Its node id, port or minors are still being allocated by an open operation; the node does not run it yet.",
                "Retry when the operation has completed."));
        }
        if (!desired.HasDrbd)
        {
            return Fail(Reject(
                FailInvldLayerStack,
                $"Resource '{state.Name}' has no DRBD layer.",
                $"Its layer stack is {string.Join(",", state.LayerStack)}, so no node runs a DRBD configuration for it.",
                "Create the resource definition with a layer list that starts with DRBD to replicate it with DRBD."));
        }
        var backing = BackingDevices(model, board, state, replica, desired);
        var config = DrbdConfigBuilder.Build(desired, replica.NodeName, backing);
        if (config.Error is { } buildError)
        {
            return Fail(Reject(FailInvldRequest, buildError.Message, buildError.Cause, buildError.Correction));
        }
        var rendered = DrbdResFileRenderer.Render(config.Value!, resFormat);
        return rendered.Error is { } renderError
            ? Fail(Reject(FailInvldRequest, renderError.Message, renderError.Cause, renderError.Correction))
            : (rendered.Value, null, StatusCodes.Status200OK);
    }

    /// <summary>Per volume: the device the node's agent reported for this definition, else the provider's predictable name.</summary>
    internal static Dictionary<int, string?> BackingDevices(ReadModel model, NodeStatusBoard board, ResourceDefinitionState state, Replica replica, DesiredResource desired)
    {
        var observed = board.ObservedOf(replica.NodeName, state.Key) is { } seen && seen.DefinitionUuid == state.Uuid ? seen : null;
        var pool = model.Node(Names.Key(replica.NodeName)) is { } nodeState && nodeState.StoragePools.TryGetValue(Names.Key(replica.StoragePool), out var found) ? found : null;
        var devices = new Dictionary<int, string?>();
        foreach (var volume in desired.Volumes)
        {
            // Under DRBD the agent reports the storage device as the backing device (its device path is /dev/drbdN).
            var seenVolume = observed?.Volumes.FirstOrDefault(v => v.VolumeNumber == volume.VolumeNumber);
            var reported = seenVolume is null ? null : seenVolume.BackingUsableKiB is null ? seenVolume.DevicePath : seenVolume.BackingDevice;
            devices[volume.VolumeNumber] = reported
                ?? (pool is null ? null : PredictedBackingDevice.Of(pool.Kind, pool.Props.GetValueOrDefault(ProviderKinds.BackingStoreProp, ""), new VolumeId(desired.Name, volume.VolumeNumber)));
        }
        return devices;
    }

    private static DrbdResFileFormat? ParseFormat(string? format) => format?.Trim().ToLowerInvariant() switch
    {
        null or "" or "9" or "drbd9" => DrbdResFileFormat.Drbd9,
        "8.4" or "84" or "drbd84" => DrbdResFileFormat.Drbd84,
        _ => null,
    };

    private static ApiCallRc Reject(long code, string message, string cause, string correction) =>
        ApiCallRc.Error(MaskRsc, 0, code, message, cause, correction);

    private static (string?, ApiCallRc?, int) Fail(ApiCallRc error) => (null, error, StatusCodes.Status400BadRequest);
}
