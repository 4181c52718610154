using System.Diagnostics;

namespace Fabric.Lab.Infrastructure;

/// <summary>The lab's own progress lines on stderr, stamped with the time since the lab started.</summary>
public static class LabLog
{
    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    public static TimeSpan Elapsed => Clock.Elapsed;

    public static void Info(string message) => Console.Error.WriteLine($"[{Clock.Elapsed.TotalSeconds,7:0.0} s] {message}");
}
