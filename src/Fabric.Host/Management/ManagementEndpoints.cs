using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Fabric.Core.Runtime;
using Fabric.Host.Hosting;

namespace Fabric.Host.Management;

/// <summary>Health and membership endpoints in the style of Akka.Management, on the management port.</summary>
public static class ManagementEndpoints
{
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(3);

    public static void MapManagement(this IEndpointRouteBuilder app, int port)
    {
        var host = $"*:{port}";

        app.MapGet("/alive", () => Results.Json(new { status = "alive" })).RequireHost(host);

        app.MapGet("/ready", async (FabricHostedService service) =>
        {
            var report = await ReadinessAsync(service);
            return Results.Json(report, statusCode: report.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        }).RequireHost(host);

        app.MapGet("/cluster/members", (FabricHostedService service) =>
            service.Fabric is { } fabric ? Results.Json(Members(fabric.Cluster)) : NotStarted()).RequireHost(host);

        app.MapGet("/cluster/shards", async (FabricHostedService service) =>
            service.Fabric is { } fabric ? Results.Json(await ShardsAsync(fabric)) : NotStarted()).RequireHost(host);
    }

    public sealed record Readiness(bool Ready, IReadOnlyDictionary<string, bool> Checks);

    public static async Task<Readiness> ReadinessAsync(FabricHostedService service)
    {
        var checks = new Dictionary<string, bool>();
        var fabric = service.Fabric;
        checks["started"] = fabric is not null;
        if (fabric is not null)
        {
            checks["member_up"] = fabric.Cluster.SelfMember.Status == MemberStatus.Up;
            checks["sharding_started"] = fabric.Regions.Count > 0 && fabric.Regions.Values.All(r => !r.IsNobody());
            if (fabric.Settings.IsController)
            {
                checks["journal_answers"] = await JournalDatabase.AnswersAsync(fabric.Settings, QueryTimeout);
                checks["read_model_current"] = fabric.Views.CaughtUp;
            }
            if (fabric.Settings.IsSatellite)
            {
                checks["own_node_registered"] = service.OwnNodeRegistered;
            }
        }
        return new Readiness(checks.Values.All(v => v), checks);
    }

    private static object Members(Cluster cluster)
    {
        var state = cluster.State;
        var unreachable = state.Unreachable.Select(m => m.UniqueAddress).ToHashSet();
        return new
        {
            self_node = cluster.SelfAddress.ToString(),
            leader = state.Leader?.ToString(),
            oldest = state.Members.Where(m => m.Status == MemberStatus.Up).OrderBy(m => m, Member.AgeOrdering).FirstOrDefault()?.Address.ToString(),
            members = state.Members.Select(m => new
            {
                node = m.Address.ToString(),
                node_uid = m.UniqueAddress.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture),
                status = m.Status.ToString(),
                roles = m.Roles.OrderBy(r => r, StringComparer.Ordinal).ToList(),
                reachable = !unreachable.Contains(m.UniqueAddress),
            }).ToList(),
            unreachable = state.Unreachable.Select(m => new
            {
                node = m.Address.ToString(),
                observed_by = state.SeenBy.Where(a => a != m.Address).Select(a => a.ToString()).ToList(),
            }).ToList(),
        };
    }

    private static async Task<object> ShardsAsync(FabricSystem fabric)
    {
        var regions = new List<object>();
        foreach (var (typeName, region) in fabric.Regions.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            object? local = null;
            object? cluster = null;
            if (fabric.Settings.IsController)
            {
                var state = await region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, QueryTimeout);
                local = state.Shards.OrderBy(s => s.ShardId, StringComparer.Ordinal).Select(s => new { shard_id = s.ShardId, entity_count = s.EntityIds.Count }).ToList();
            }
            try
            {
                var stats = await region.Ask<ClusterShardingStats>(new GetClusterShardingStats(QueryTimeout), QueryTimeout + QueryTimeout);
                cluster = stats.Regions.Select(r => new
                {
                    address = r.Key.ToString(),
                    shard_count = r.Value.Stats.Count,
                    entity_count = r.Value.Stats.Values.Sum(),
                }).ToList();
            }
            catch (AskTimeoutException)
            {
                cluster = null;
            }
            regions.Add(new { type_name = typeName, local_shards = local, cluster_regions = cluster });
        }
        return new { regions };
    }

    private static IResult NotStarted() =>
        Results.Json(new { error = "Fabric is starting; the actor system is not up yet." }, statusCode: StatusCodes.Status503ServiceUnavailable);
}
