using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace Fabric.Host.Tests.Infrastructure;

/// <summary>
/// The tests that run Fabric.Host processes with real storage (loop devices) run one at a time:
/// each starts several processes, and on a 2-core machine they would starve each other.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SatelliteProcessesCollection
{
    public const string Name = "Satellite processes";
}

/// <summary>
/// One controller process (SQLite in its own data directory) and satellite processes on loopback,
/// each satellite running its node agent with the real storage providers. Everything lives under
/// one temporary root: data directories, logs and the per-node storage pool directories. Dispose
/// kills every process, detaches every loop device backed by a file under the root and deletes it;
/// the process logs go to the test output unless <see cref="Passed"/> was called.
/// </summary>
public sealed class SatelliteCluster : IAsyncDisposable
{
    public const string HeartbeatSeconds = "0.5";
    public const string StatusTimeoutSeconds = "4";

    /// <summary>Longest wait for anything (start-up, convergence) on a loaded 2-core machine.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private readonly ITestOutputHelper _output;
    private readonly Dictionary<string, Satellite> _satellites = new(StringComparer.Ordinal);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _controllerClusterPort;
    private bool _passed;

    private SatelliteCluster(ITestOutputHelper output)
    {
        _output = output;
        var root = Path.Combine(Path.GetTempPath(), "fabric-sat-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        Root = HostLoops.Canonical(root);
    }

    /// <summary>The temporary root (symbolic links resolved, as losetup spells backing files).</summary>
    public string Root { get; }

    public HostProcess Controller { get; private set; } = null!;

    public HttpClient Rest => Controller.Rest;

    public IReadOnlyCollection<string> SatelliteNames => _satellites.Keys;

    /// <summary>Starts the controller, then the satellites, and waits until every satellite's node is ONLINE in REST.</summary>
    public static async Task<SatelliteCluster> StartAsync(ITestOutputHelper output, params string[] satellites)
    {
        var cluster = new SatelliteCluster(output);
        try
        {
            await cluster.StartControllerAsync();
            foreach (var name in satellites)
            {
                cluster.StartSatellite(name);
            }
            await cluster.WaitUntilAsync(async () =>
            {
                var statuses = await cluster.NodeStatusesAsync();
                return satellites.All(s => statuses.GetValueOrDefault(s) == "ONLINE");
            }, $"satellites {string.Join(", ", satellites)} ONLINE");
            cluster.Log($"cluster up: controller and {satellites.Length} satellite(s) ONLINE");
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return cluster;
    }

    private async Task StartControllerAsync()
    {
        _controllerClusterPort = RunningHost.FreePort();
        var dataDir = Path.Combine(Root, "controller");
        Controller = HostProcess.Start(_controllerClusterPort, [
            "--roles", "controller", "--node-name", "controller", "--data-dir", dataDir,
            "--node-heartbeat-interval", HeartbeatSeconds, "--node-status-timeout", StatusTimeoutSeconds, "--sbr-stable-after", "3",
        ], Path.Combine(Root, "controller.log"));
        await WaitUntilAsync(() => Controller.IsReadyAsync(), "controller ready");
    }

    private void StartSatellite(string name)
    {
        var satellite = new Satellite(
            [
                "--roles", "satellite", "--node-name", name, "--seed-nodes", $"127.0.0.1:{_controllerClusterPort}",
                "--data-dir", Path.Combine(Root, name),
                "--node-heartbeat-interval", HeartbeatSeconds, "--node-status-timeout", StatusTimeoutSeconds, "--sbr-stable-after", "3",
            ],
            Path.Combine(Root, name + ".log"));
        _satellites[name] = satellite;
        satellite.Start(appendLog: false);
    }

    /// <summary>kill -9 of a satellite process; returns once the process is gone.</summary>
    public async Task KillSatelliteAsync(string name)
    {
        var satellite = _satellites[name];
        var process = satellite.Process ?? throw new InvalidOperationException($"{name} is not running");
        await process.KillHardAsync();
        await process.DisposeAsync();
        satellite.Process = null;
        Log($"{name} killed (kill -9)");
    }

    /// <summary>Starts a killed satellite again with exactly the same arguments and ports.</summary>
    public void RestartSatellite(string name)
    {
        var satellite = _satellites[name];
        if (satellite.Process is not null)
        {
            throw new InvalidOperationException($"{name} is still running");
        }
        satellite.Start(appendLog: true);
        Log($"{name} started again");
    }

    /// <summary>The directory of a node's FILE_THIN pool (each node its own).</summary>
    public string PoolDir(string node) => Path.Combine(Root, "pools", node);

    /// <summary>The file a FILE/FILE_THIN volume lives in: <c>{dir}/{resource}_{vnr:D5}.img</c>.</summary>
    public string VolumeFile(string node, string resource, int volumeNumber = 0) =>
        Path.Combine(PoolDir(node), $"{resource}_{volumeNumber.ToString("D5", CultureInfo.InvariantCulture)}.img");

    /// <summary>Creates the node's pool directory and a FILE_THIN pool on it through REST.</summary>
    public async Task CreateFileThinPoolAsync(string node, string pool)
    {
        Directory.CreateDirectory(PoolDir(node));
        (await PostAsync($"/v1/nodes/{node}/storage-pools",
            $$$"""{"storage_pool_name":"{{{pool}}}","provider_kind":"FILE_THIN","props":{"StorDriver/StorPoolName":"{{{PoolDir(node)}}}"}}"""))
            .AssertSuccess(HttpStatusCode.Created);
    }

    /// <summary>A storage-only resource definition with one volume of <paramref name="sizeKib"/>.</summary>
    public async Task CreateStorageDefinitionAsync(string name, long sizeKib)
    {
        (await PostAsync("/v1/resource-definitions", $$$"""{"resource_definition":{"name":"{{{name}}}","layer_data":[{"type":"STORAGE"}]}}"""))
            .AssertSuccess(HttpStatusCode.Created);
        (await PostAsync($"/v1/resource-definitions/{name}/volume-definitions", $$$"""{"volume_definition":{"size_kib":{{{sizeKib}}}}}"""))
            .AssertSuccess(HttpStatusCode.Created);
    }

    /// <summary>POST .../resources: one storage-only replica per node, in <paramref name="pool"/>.</summary>
    public Task<Rc> CreateReplicasAsync(string rd, string pool, params string[] nodes) =>
        PostAsync($"/v1/resource-definitions/{rd}/resources",
            "[" + string.Join(",", nodes.Select(n => $$$"""{"resource":{"node_name":"{{{n}}}","props":{"StorPoolName":"{{{pool}}}"}},"layer_list":["storage"]}""")) + "]");

    public Task<Rc> PostAsync(string path, string json) =>
        Rc.ReadAsync(Rest.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json")));

    public Task<Rc> PutAsync(string path, string json) =>
        Rc.ReadAsync(Rest.PutAsync(path, new StringContent(json, Encoding.UTF8, "application/json")));

    public Task<Rc> DeleteAsync(string path) => Rc.ReadAsync(Rest.DeleteAsync(path));

    /// <summary>GET returning the status and the parsed body.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path)
    {
        using var response = await Rest.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(body).RootElement.Clone());
    }

    public async Task<JsonElement> GetOkAsync(string path)
    {
        var (status, body) = await GetAsync(path);
        Assert.True(status == HttpStatusCode.OK, $"GET {path}: {(int)status} {body}");
        return body;
    }

    /// <summary>connection_status of every node in GET /v1/nodes.</summary>
    public async Task<Dictionary<string, string>> NodeStatusesAsync() =>
        (await GetOkAsync("/v1/nodes")).EnumerateArray().ToDictionary(
            n => n.GetProperty("name").GetString()!,
            n => n.TryGetProperty("connection_status", out var s) ? s.GetString() ?? string.Empty : string.Empty,
            StringComparer.Ordinal);

    /// <summary>The volume of a replica as GET .../resources/{node}/volumes shows it, or null when it is not listed.</summary>
    public async Task<JsonElement?> VolumeAsync(string rd, string node, int volumeNumber = 0)
    {
        var (status, body) = await GetAsync($"/v1/resource-definitions/{rd}/resources/{node}/volumes");
        if (status != HttpStatusCode.OK)
        {
            return null;
        }
        foreach (var volume in body.EnumerateArray())
        {
            if (volume.GetProperty("volume_number").GetInt32() == volumeNumber)
            {
                return volume;
            }
        }
        return null;
    }

    /// <summary>Waits until the replica's volume is UpToDate on a loop device with the given usable size; returns the volume.</summary>
    public async Task<JsonElement> WaitVolumeUpToDateAsync(string rd, string node, long usableKib, int volumeNumber = 0)
    {
        JsonElement? last = null;
        await WaitUntilAsync(async () =>
        {
            last = await VolumeAsync(rd, node, volumeNumber);
            return last is { } v && DiskState(v) == "UpToDate" && IsLoopDevice(DevicePath(v)) && UsableKib(v) == usableKib;
        }, $"volume {volumeNumber} of {rd} on {node} UpToDate on a loop device with {usableKib} KiB usable", describeLast: () => last?.ToString() ?? "(not listed)");
        return last!.Value;
    }

    public static string? DiskState(JsonElement volume) =>
        volume.TryGetProperty("state", out var state) && state.ValueKind == JsonValueKind.Object && state.TryGetProperty("disk_state", out var ds) ? ds.GetString() : null;

    public static string? DevicePath(JsonElement volume) =>
        volume.TryGetProperty("device_path", out var path) && path.ValueKind == JsonValueKind.String ? path.GetString() : null;

    public static long? UsableKib(JsonElement volume) =>
        volume.TryGetProperty("usable_size_kib", out var usable) && usable.ValueKind == JsonValueKind.Number ? usable.GetInt64() : null;

    public static bool IsLoopDevice(string? path) =>
        path is not null && System.Text.RegularExpressions.Regex.IsMatch(path, "^/dev/loop[0-9]+$");

    /// <summary>Polls <paramref name="condition"/> (HTTP failures count as false) until it holds; returns how long it took.</summary>
    public async Task<TimeSpan> WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, Func<string>? describeLast = null)
    {
        var started = Stopwatch.StartNew();
        var limit = timeout ?? Wait;
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return started.Elapsed;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
            {
            }
            if (started.Elapsed > limit)
            {
                throw new TimeoutException($"Timed out after {limit.TotalSeconds:0} s waiting for: {what}" + (describeLast is null ? string.Empty : $"; last seen: {describeLast()}"));
            }
            await Task.Delay(250);
        }
    }

    public void Log(string message) => _output.WriteLine($"[{_clock.Elapsed.TotalSeconds,6:0.0} s] {message}");

    /// <summary>Marks the test as passed: Dispose then leaves the process logs out of the output (unless FABRIC_TEST_LOGS=1).</summary>
    public void Passed() => _passed = true;

    public async ValueTask DisposeAsync()
    {
        foreach (var satellite in _satellites.Values)
        {
            if (satellite.Process is { } process)
            {
                await process.DisposeAsync();
                satellite.Process = null;
            }
        }
        if (Controller is not null)
        {
            await Controller.DisposeAsync();
        }
        if (!_passed || Environment.GetEnvironmentVariable("FABRIC_TEST_LOGS") == "1")
        {
            foreach (var log in Directory.EnumerateFiles(Root, "*.log").Order(StringComparer.Ordinal))
            {
                _output.WriteLine($"---- {log} (last 300 lines) ----");
                _output.WriteLine(string.Join(Environment.NewLine, File.ReadLines(log).TakeLast(300)));
            }
        }
        try
        {
            var detached = await HostLoops.DetachUnderAsync(Root);
            Log($"clean-up: detached {detached.Count} loop device(s) {string.Join(" ", detached)}");
            var left = (await HostLoops.ListAsync()).Where(l => l.BackingFile.StartsWith(Root + "/", StringComparison.Ordinal)).ToList();
            if (left.Count > 0)
            {
                _output.WriteLine($"clean-up: loop devices still attached under {Root}: {string.Join(", ", left)}");
            }
        }
        finally
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException ex)
            {
                _output.WriteLine($"clean-up: {Root} not deleted: {ex.Message}");
            }
        }
    }

    private sealed class Satellite(string[] arguments, string logPath)
    {
        public string[] Arguments { get; } = arguments;

        public string LogPath { get; } = logPath;

        public int ClusterPort { get; } = RunningHost.FreePort();

        public int RestPort { get; } = RunningHost.FreePort();

        public int ManagementPort { get; } = RunningHost.FreePort();

        public HostProcess? Process { get; set; }

        public HostProcess Start(bool appendLog) =>
            Process = HostProcess.Start(ClusterPort, Arguments, LogPath, RestPort, ManagementPort, appendLog);
    }
}
