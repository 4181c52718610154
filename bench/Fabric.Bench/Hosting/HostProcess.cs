using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Fabric.Bench.Hosting;

/// <summary>
/// The host as a separate OS process (<c>dotnet Fabric.Host.dll ...</c>). Every output line is
/// stamped with the time since process start, so log markers show where start-up time goes.
/// </summary>
public sealed class HostProcess : IDisposable
{
    private const int SigTerm = 15;

    private readonly Process _process;
    private readonly Stopwatch _sinceStart;
    private readonly ConcurrentQueue<(double Ms, string Line)> _lines = new();

    private HostProcess(Process process, Stopwatch sinceStart, HostEndpoints endpoints)
    {
        _process = process;
        _sinceStart = sinceStart;
        Endpoints = endpoints;
    }

    public HostEndpoints Endpoints { get; }

    public Stopwatch SinceStart => _sinceStart;

    public bool Running => !_process.HasExited;

    public int Id => _process.Id;

    public IReadOnlyCollection<(double Ms, string Line)> Lines => _lines;

    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Starts the host; the stopwatch starts immediately before the process is created.</summary>
    public static HostProcess Start(string hostDll, string dataDir, string nodeName, HostEndpoints endpoints, string logLevel)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(hostDll)!,
        };
        foreach (var arg in new[]
        {
            hostDll,
            "--data-dir", dataDir,
            "--rest-port", endpoints.RestPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--management-port", endpoints.ManagementPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--cluster-port", endpoints.ClusterPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--node-name", nodeName,
            "--log-level", logLevel,
        })
        {
            info.ArgumentList.Add(arg);
        }
        var clock = Stopwatch.StartNew();
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var host = new HostProcess(process, clock, endpoints);
        process.OutputDataReceived += (_, e) => host.Record(e.Data);
        process.ErrorDataReceived += (_, e) => host.Record(e.Data is null ? null : "stderr: " + e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Milliseconds from process start to the first output line containing the text.</summary>
    public double? FirstLineMs(string contains) =>
        _lines.Where(l => l.Line.Contains(contains, StringComparison.Ordinal)).Select(l => (double?)l.Ms).FirstOrDefault();

    public string? FirstLine(string contains) =>
        _lines.Where(l => l.Line.Contains(contains, StringComparison.Ordinal)).Select(l => l.Line).FirstOrDefault();

    /// <summary>SIGTERM: the generic host shuts down gracefully (leaves the cluster, closes the journal).</summary>
    public async Task<TimeSpan> StopCleanlyAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        if (Kill(_process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill -TERM {_process.Id} failed (errno {Marshal.GetLastPInvokeError()}).");
        }
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The host did not exit within {timeout} of SIGTERM; killed it.");
        }
        return clock.Elapsed;
    }

    /// <summary>SIGKILL (kill -9): no shutdown at all, as after a crash or power loss of the process.</summary>
    public async Task KillHardAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public int ExitCode => _process.ExitCode;

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
    }

    private void Record(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue((_sinceStart.Elapsed.TotalMilliseconds, line));
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
