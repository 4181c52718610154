using System.Diagnostics;

namespace Fabric.Lab.Infrastructure;

/// <summary>
/// A Fabric.Host process on the lab's host (the published build the guests run too). The
/// controller binds to 127.0.0.1 and advertises 10.0.2.2, the address under which qemu's
/// user-mode network shows the host's loopback to the guests.
/// </summary>
public sealed class HostFabric : IAsyncDisposable
{
    private readonly Process _process;

    private HostFabric(Process process, string name, int restPort, int managementPort, int clusterPort, string publicHost)
    {
        _process = process;
        Name = name;
        RestPort = restPort;
        ManagementPort = managementPort;
        ClusterPort = clusterPort;
        PublicHost = publicHost;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{restPort}"), Timeout = TimeSpan.FromSeconds(60) };
        Rest = new Rest(Http);
    }

    public string Name { get; }

    public int RestPort { get; }

    public int ManagementPort { get; }

    public int ClusterPort { get; }

    public string PublicHost { get; }

    /// <summary>The seed address guests join through.</summary>
    public string Seed => $"{PublicHost}:{ClusterPort}";

    public HttpClient Http { get; }

    public Rest Rest { get; }

    /// <summary>Starts Fabric.Host with the given roles and extra options; waits until /ready.</summary>
    public static async Task<HostFabric> StartAsync(LabPaths paths, string name, string roles, int clusterPort, int restPort, int managementPort, string publicHost, IEnumerable<string>? extra = null)
    {
        var dataDir = Path.Combine(paths.WorkDir, name + "-data");
        Directory.CreateDirectory(dataDir);
        var args = new List<string>
        {
            paths.FabricHostDll, "--roles", roles, "--node-name", name, "--data-dir", dataDir,
            "--cluster-host", "127.0.0.1", "--cluster-public-host", publicHost, "--cluster-port", $"{clusterPort}",
            "--rest-port", $"{restPort}", "--management-port", $"{managementPort}",
            "--akka-conf", Path.Combine(paths.ShareDir, "lab-akka.conf"),
        };
        args.AddRange(extra ?? []);
        var process = Processes.Start("dotnet", args, paths.Log(name), new Dictionary<string, string> { ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1" });
        var host = new HostFabric(process, name, restPort, managementPort, clusterPort, publicHost);
        using var management = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{managementPort}"), Timeout = TimeSpan.FromSeconds(5) };
        await Wait.UntilAsync(async () =>
        {
            if (process.HasExited)
            {
                throw new LabFailure($"{name} exited with {process.ExitCode}; see {paths.Log(name)}");
            }
            using var ready = await management.GetAsync("/ready");
            return ready.IsSuccessStatusCode;
        }, $"{name} ready", TimeSpan.FromSeconds(120));
        LabLog.Info($"{name}: Fabric.Host ({roles}) ready, REST on 127.0.0.1:{restPort}");
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Http.Dispose();
    }
}
