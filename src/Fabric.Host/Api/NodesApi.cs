using System.Collections.Immutable;
using Fabric.Core.Aggregates;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Entities;
using Fabric.Core.Naming;
using Fabric.Core.Properties;
using Fabric.Host.Api.Contracts;

namespace Fabric.Host.Api;

/// <summary>/v1/nodes: LINSTOR's node collection.</summary>
public static class NodesApi
{
    public static void MapNodes(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/nodes", (HttpRequest request, ApiContext api) =>
        {
            if (!api.TryGet(out var fabric, out var model))
            {
                return ApiResponses.Starting();
            }
            var (filters, error) = QueryFilters.Parse(request);
            if (error is not null)
            {
                return error;
            }
            var nodes = model.ExistingNodes.Where(n => filters!.MatchesNode(n.Key) && filters.MatchesProps(n.Props)).Select(n => n.ToDto(fabric.NodeStatus.Get(n.Key)));
            return ApiResponses.Json(filters!.Page.Apply(nodes).ToList());
        });

        app.MapGet("/v1/nodes/{node}", (string node, ApiContext api) =>
        {
            if (!api.TryGet(out var fabric, out var model))
            {
                return ApiResponses.Starting();
            }
            return model.Node(Names.Key(node)) is { } state ? ApiResponses.Json(state.ToDto(fabric.NodeStatus.Get(state.Key))) : ApiResponses.NotFound(NodeAggregate.NodeNotFound(node, 0));
        });

        app.MapPost("/v1/nodes", (HttpRequest request, ApiContext api) =>
            api.SendAsync<NodeDto>(request, EntityKind.Node, isCreate: true, (body, _) =>
            {
                var command = new CreateNode(
                    body.Name ?? string.Empty,
                    body.Type,
                    (body.Props ?? ImmutableSortedDictionary<string, string>.Empty).ToImmutableSortedDictionary(StringComparer.Ordinal),
                    (body.NetInterfaces ?? []).Select(n => new NetInterfaceSpec(n.Name, n.Address, n.SatellitePort, n.SatelliteEncryptionType, n.IsActive)).ToImmutableList());
                return Names.CheckNodeName(command.Name) is null
                    ? EntityCall.To(Names.Key(command.Name), command)
                    : EntityCall.Reject(RejectionWithoutEntity(command));
            }));

        app.MapPut("/v1/nodes/{node}", (string node, HttpRequest request, ApiContext api) =>
            api.SendAsync<NodeModifyDto>(request, EntityKind.Node, isCreate: false, (body, _) =>
                EntityCall.To(Names.Key(node), new ModifyNode(body.NodeType, body.ToPropsChange()))));

        app.MapDelete("/v1/nodes/{node}", (string node, HttpRequest request, ApiContext api) =>
            api.SendAsync(request, EntityKind.Node, isCreate: false, _ => EntityCall.To(Names.Key(node), new DeleteNode())));

        app.MapDelete("/v1/nodes/{node}/lost", (string node, HttpRequest request, ApiContext api) =>
            api.SendAsync(request, EntityKind.Node, isCreate: false, _ => EntityCall.To(Names.Key(node), new LoseNode())));
    }

    /// <summary>An invalid name cannot address an entity; the pure decider still words the rejection.</summary>
    private static Fabric.Core.Api.ApiCallRc RejectionWithoutEntity(INodeCommand command) =>
        NodeAggregate.Instance.Decide(NodeState.Absent(string.Empty), command, new DecideContext(0, Guid.Empty)) is Decision<INodeEvent>.Rejected rejected
            ? rejected.Error
            : throw new InvalidOperationException("An invalid node name was accepted by the decider.");
}
