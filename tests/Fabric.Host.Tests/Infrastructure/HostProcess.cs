using System.Diagnostics;
using System.Net;

namespace Fabric.Host.Tests.Infrastructure;

/// <summary>Fabric.Host running as its own operating-system process, as an administrator runs it.</summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private HostProcess(Process process, StreamWriter log, int restPort, int managementPort, int clusterPort, string logPath)
    {
        _process = process;
        _log = log;
        RestPort = restPort;
        ManagementPort = managementPort;
        ClusterPort = clusterPort;
        LogPath = logPath;
        Rest = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{restPort}"), Timeout = TimeSpan.FromSeconds(30) };
        Management = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{managementPort}"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public int RestPort { get; }

    public int ManagementPort { get; }

    public int ClusterPort { get; }

    public string LogPath { get; }

    public HttpClient Rest { get; }

    public HttpClient Management { get; }

    public bool HasExited => _process.HasExited;

    /// <param name="restPort">The REST port; a free one when null (a restart passes the previous one).</param>
    /// <param name="managementPort">The management port; a free one when null.</param>
    /// <param name="appendLog">Appends to <paramref name="logPath"/> (a restart keeps the earlier run's log).</param>
    public static HostProcess Start(int clusterPort, IEnumerable<string> arguments, string logPath, int? restPort = null, int? managementPort = null, bool appendLog = false)
    {
        var rest = restPort ?? RunningHost.FreePort();
        var management = managementPort ?? RunningHost.FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Fabric.Host.dll"));
        foreach (var arg in new[] { "--rest-port", $"{rest}", "--management-port", $"{management}", "--cluster-port", $"{clusterPort}" }.Concat(arguments))
        {
            info.ArgumentList.Add(arg);
        }
        var log = new StreamWriter(logPath, append: appendLog) { AutoFlush = true };
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new HostProcess(process, log, rest, management, clusterPort, logPath);
    }

    public async Task<bool> IsReadyAsync()
    {
        try
        {
            using var response = await Management.GetAsync("/ready");
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>kill -9: no shutdown hook runs, the cluster only notices the silence.</summary>
    public void KillHard() => _process.Kill(entireProcessTree: true);

    /// <summary>kill -9, then waits until the process is gone (its ports free, its open files closed).</summary>
    public async Task KillHardAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
    }

    public string ReadLog()
    {
        lock (_log)
        {
            using var reader = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return new StreamReader(reader).ReadToEnd();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Rest.Dispose();
        Management.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }
}
