using System.Diagnostics;
using Fabric.Bench.Cli;

namespace Fabric.Bench.Reconnect;

/// <summary>Polling for a condition the system under test must reach in time (else the benchmark fails).</summary>
public static class Waiting
{
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new BenchFailedException($"Not reached within {timeout.TotalSeconds:0} s: {what}.");
            }
            await Task.Delay(20);
        }
    }
}
