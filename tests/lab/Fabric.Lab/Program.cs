using System.Diagnostics;
using Fabric.Lab.Infrastructure;
using Fabric.Lab.Scenarios;

// Fabric's real-kernel lab: Fabric satellites in qemu guests (Debian's stock kernel: dm-thin-pool,
// DRBD 8.4) driven by a controller on the host through REST. One line per scenario on stdout,
// then a summary; exit code 0 only when every scenario passed.
//   Fabric.Lab --image DIR --share DIR --work DIR [--only name,name]
var options = args.Select((a, i) => (a, i)).Where(x => x.a.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(x => x.a, x => x.i + 1 < args.Length ? args[x.i + 1] : string.Empty, StringComparer.Ordinal);
string Required(string name) => options.TryGetValue(name, out var v) && v.Length > 0 ? v : throw new ArgumentException($"{name} is required");
var dotnetDir = Path.GetDirectoryName(Environment.ProcessPath is { } p && Path.GetFileName(p) == "dotnet" ? p : "/usr/share/dotnet/dotnet")!;
var paths = new LabPaths(Path.GetFullPath(Required("--image")), Path.GetFullPath(Required("--share")), Path.GetFullPath(Required("--work")), dotnetDir);
Directory.CreateDirectory(paths.WorkDir);
var only = options.TryGetValue("--only", out var o) ? o.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal) : null;

ILabScenario[] scenarios = [new FileThinScenario(), new LvmThinScenario(), new DrbdReplicationScenario(), new DrbdFailureScenario()];
var results = new List<(string Name, bool Passed, TimeSpan Took, string Detail)>();
var selected = scenarios.Where(s => only is null || only.Contains(s.Name)).ToList();
await using (var session = new LabSession(paths))
{
    var guests = selected.Select(s => s.Guests).DefaultIfEmpty(0).Max();
    if (guests > 0)
    {
        // Every guest any selected scenario needs boots now, side by side, while file-thin runs on the host.
        await session.BootSatellitesAsync(guests);
    }
    foreach (var scenario in selected)
    {
        var clock = Stopwatch.StartNew();
        LabLog.Info($"scenario {scenario.Name}: start");
        try
        {
            await scenario.RunAsync(session);
            results.Add((scenario.Name, true, clock.Elapsed, string.Empty));
        }
        catch (Exception ex)
        {
            results.Add((scenario.Name, false, clock.Elapsed, ex is LabFailure ? ex.Message : ex.ToString()));
            await session.DiagnoseAsync(scenario.Name);
        }
        var last = results[^1];
        Console.WriteLine($"{(last.Passed ? "PASS" : "FAIL")} {last.Name} ({last.Took.TotalSeconds:0} s){(last.Passed ? string.Empty : ": " + last.Detail)}");
    }
}
var passed = results.Count(r => r.Passed);
Console.WriteLine($"lab: {passed} of {results.Count} scenario(s) passed in {LabLog.Elapsed.TotalSeconds:0} s; logs in {paths.WorkDir}");
return passed == results.Count && results.Count > 0 ? 0 : 1;
