using Fabric.Bench.Cli;
using Fabric.Core.Runtime;
using Fabric.Host.Hosting;
using Fabric.Node.Storage;
using Fabric.Node.Storage.Simulated;

namespace Fabric.Bench.Reconnect;

/// <summary>
/// The simulated provider over one in-memory <see cref="SimulatedStorage"/> kept for the whole run, so a
/// new agent incarnation finds every volume of the previous one. The node is registered as the host's
/// <c>--simulate-nodes</c> nodes are (LVM_THIN pool <see cref="NodeAgentHosting.DefaultPool"/>).
/// </summary>
public sealed class SimulatedBacking : ISatelliteBacking
{
    private static readonly SimulatedOperation[] Mutating = [SimulatedOperation.Create, SimulatedOperation.Activate, SimulatedOperation.Resize, SimulatedOperation.Delete];
    private readonly SimulatedStorage _storage = new();
    private Dictionary<SimulatedOperation, int> _baseCalls = [];
    private int _baseMutations;

    public SimulatedBacking() => Providers = StorageProviders.Simulated(_storage);

    public string Name => "simulated";

    public string PoolName => NodeAgentHosting.DefaultPool;

    public long VolumeKiB => 1024 * 1024;

    public StorageProviders Providers { get; }

    public async Task RegisterNodeAsync(FabricSystem fabric, string nodeName)
    {
        if (await NodeAgentHosting.RegisterSimulatedNodeAsync(fabric, nodeName) is { } error)
        {
            throw new BenchFailedException($"Registering simulated node {nodeName} was refused: {error.Message} {error.Cause}");
        }
    }

    public void ResetActivity()
    {
        _baseCalls = Enum.GetValues<SimulatedOperation>().ToDictionary(o => o, _storage.Calls);
        _baseMutations = _storage.Mutations;
    }

    public StorageActivity Activity()
    {
        var calls = Enum.GetValues<SimulatedOperation>().ToDictionary(o => o, o => _storage.Calls(o) - _baseCalls.GetValueOrDefault(o));
        var mutatingCalls = Mutating.Where(o => calls[o] > 0).Select(o => $"{o.ToString().ToLowerInvariant()} ×{calls[o]}").ToList();
        var changed = _storage.Mutations - _baseMutations;
        if (changed > 0)
        {
            mutatingCalls.Add($"{changed} volume(s) changed");
        }
        var detail = string.Join(", ", calls.Where(c => c.Value > 0).Select(c => $"{c.Key.ToString().ToLowerInvariant()} ×{c.Value}"));
        return new StorageActivity(
            calls[SimulatedOperation.Inspect] + calls[SimulatedOperation.List],
            Mutating.Sum(o => calls[o]) + changed,
            detail.Length == 0 ? "none" : detail,
            mutatingCalls);
    }

    public Task<IReadOnlyList<string>> CheckHostAsync(IReadOnlyDictionary<string, string> devices)
    {
        var problems = new List<string>();
        var volumes = _storage.Volumes(PoolName).ToDictionary(v => v.Id.StorageName, StringComparer.Ordinal);
        foreach (var (name, device) in devices)
        {
            if (!volumes.TryGetValue(name, out var volume))
            {
                problems.Add($"simulated volume {name} is missing");
            }
            else if (volume.DevicePath != device)
            {
                problems.Add($"simulated volume {name} is on {volume.DevicePath ?? "no device"}, not {device}");
            }
            else if (volume.UsableKiB != VolumeKiB)
            {
                problems.Add($"simulated volume {name} has {volume.UsableKiB} KiB, not {VolumeKiB}");
            }
        }
        problems.AddRange(volumes.Keys.Where(k => !devices.ContainsKey(k)).Select(k => $"unexpected simulated volume {k}"));
        return Task.FromResult<IReadOnlyList<string>>(problems);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
