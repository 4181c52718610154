using System.Globalization;
using System.Text;
using Fabric.Core.Api;
using Fabric.Core.Protocol;
using Fabric.Host.Api.Contracts;

namespace Fabric.Host.Api;

/// <summary>
/// /v1/error-reports: the error reports node agents raised (a failed storage step, a pool that
/// cannot be listed), served from what the agents pushed to this controller; never by asking a
/// satellite while the client waits. Each controller keeps the latest 200 per node.
/// </summary>
public static class ErrorReportsApi
{
    public static void MapErrorReports(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/error-reports", (HttpRequest request, ApiContext api) =>
        {
            var query = request.Query;
            var withContent = string.Equals(query["withContent"], "true", StringComparison.OrdinalIgnoreCase);
            long? since = long.TryParse(query["since"], NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : null;
            long? to = long.TryParse(query["to"], NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? t : null;
            var node = query["node"].ToString();
            var offset = int.TryParse(query["offset"], NumberStyles.None, CultureInfo.InvariantCulture, out var o) ? o : 0;
            var limit = int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l > 0 ? l : int.MaxValue;
            var reports = All(api)
                .Where(r => node.Length == 0 || string.Equals(r.NodeName, node, StringComparison.OrdinalIgnoreCase))
                .Where(r => (since is null || r.TimeMs >= since) && (to is null || r.TimeMs <= to))
                .OrderBy(r => r.TimeMs)
                .Skip(offset)
                .Take(limit)
                .Select(r => ToDto(r, withContent))
                .ToList();
            return ApiResponses.Json(reports);
        });

        app.MapGet("/v1/error-reports/{reportid}", (string reportid, ApiContext api) =>
        {
            var found = All(api).Where(r => r.Id == reportid).Select(r => ToDto(r, withContent: true)).ToList();
            return found.Count > 0
                ? ApiResponses.Json(found)
                : ApiResponses.NotFound(ApiCallRc.Error(0, 0, ApiConsts.FailUnknownError, $"Error report '{reportid}' not found.", "No node agent reported it to this controller, or it is older than the latest 200 of its node.", "List /v1/error-reports for the reports this controller holds."));
        });
    }

    private static IEnumerable<AgentErrorReport> All(ApiContext api) =>
        api.NodeStatus.Current.Values.SelectMany(status => status.ErrorReports);

    private static ErrorReportDto ToDto(AgentErrorReport report, bool withContent) => new()
    {
        NodeName = report.NodeName,
        ErrorTime = report.TimeMs,
        Filename = $"ErrorReport-{report.Id}.log",
        Module = "SATELLITE",
        Version = "fabric",
        ExceptionMessage = report.Message,
        Exception = "StorageException",
        Text = withContent ? Text(report) : null,
    };

    private static string Text(AgentErrorReport report)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"ERROR REPORT {report.Id}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Node:        {report.NodeName}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Error time:  {DateTimeOffset.FromUnixTimeMilliseconds(report.TimeMs):O}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Message:     {report.Message}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Cause:       {report.Cause}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Correction:  {report.Correction}");
        if (report.Details is { Length: > 0 })
        {
            text.AppendLine().AppendLine(report.Details);
        }
        return text.ToString();
    }
}
