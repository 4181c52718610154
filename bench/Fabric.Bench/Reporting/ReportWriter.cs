using System.Text.Json;

namespace Fabric.Bench.Reporting;

/// <summary>Saves a report as JSON, by default to bench/results/&lt;name&gt;-&lt;date&gt;.json.</summary>
public static class ReportWriter
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static string Write(BenchReport report, string? path)
    {
        path ??= Path.Combine(RepoPaths.Root, "bench", "results", $"{report.Benchmark}-{report.StartedAt:yyyy-MM-dd-HHmm}.json");
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        File.WriteAllText(path, JsonSerializer.Serialize(report, Options) + Environment.NewLine);
        return path;
    }
}
