using System.Globalization;

namespace Fabric.Node.Agent;

/// <summary>
/// LINSTOR-style error report ids: instance start (epoch seconds, hex) - 20-bit hash of the node
/// name (hex) - sequence within the instance, e.g. 5E8509DD-69506-000006.
/// </summary>
public sealed class ErrorReportIds(string nodeName, long startedAtMs)
{
    private readonly string _prefix = string.Create(CultureInfo.InvariantCulture, $"{startedAtMs / 1000:X8}-{Hash20(nodeName):X5}");
    private long _sequence;

    public string Next() => string.Create(CultureInfo.InvariantCulture, $"{_prefix}-{Interlocked.Increment(ref _sequence):D6}");

    private static int Hash20(string text)
    {
        // FNV-1a over the upper-case name, folded to 20 bits: stable across processes and runs.
        var hash = 2166136261u;
        foreach (var c in text.ToUpperInvariant())
        {
            hash = (hash ^ c) * 16777619u;
        }
        return (int)((hash ^ (hash >> 20)) & 0xFFFFF);
    }
}
