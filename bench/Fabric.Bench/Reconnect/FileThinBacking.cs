using System.Collections.Immutable;
using Fabric.Bench.Cli;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Entities;
using Fabric.Core.Naming;
using Fabric.Core.Properties;
using Fabric.Core.Runtime;
using Fabric.Node.Process;
using Fabric.Node.Storage;
using Fabric.Node.Storage.Files;

namespace Fabric.Bench.Reconnect;

/// <summary>
/// The real FILE_THIN provider on a pool directory of its own: sparse files on real loop devices
/// (needs root), every tool run through a <see cref="CountingCommandRunner"/>. Dispose detaches every
/// loop device whose backing file lies in the directory and deletes it, also after a failure.
/// </summary>
public sealed class FileThinBacking : ISatelliteBacking
{
    private readonly CountingCommandRunner _runner = new(new CommandRunner());
    private readonly string _directory;

    private FileThinBacking(string directory)
    {
        _directory = directory;
        Providers = StorageProviders.ForHost(_runner);
    }

    public string Name => "file-thin";

    public string PoolName => "files";

    public long VolumeKiB => 4 * 1024;

    public StorageProviders Providers { get; }

    /// <summary>Creates <paramref name="directory"/>; refuses to run without root (losetup needs it).</summary>
    public static FileThinBacking Create(string directory)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            throw new ArgumentException("--provider file-thin attaches loop devices and must run as root.");
        }
        Directory.CreateDirectory(directory);
        return new FileThinBacking(directory);
    }

    public async Task RegisterNodeAsync(FabricSystem fabric, string nodeName)
    {
        var netIf = new NetInterfaceSpec("default", fabric.Settings.ClusterHost, null, null, true);
        Check(await fabric.AskAsync(EntityKind.Node, Names.Key(nodeName), new CreateNode(nodeName, NodeType.Satellite.ToApi(), Props.Empty, [netIf])), $"creating node {nodeName}");
        var props = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create(ProviderKinds.BackingStoreProp, _directory)]);
        Check(await fabric.AskAsync(EntityKind.Node, Names.Key(nodeName), new CreateStoragePool(PoolName, ProviderKind.FileThin.ToApi(), props, null, false)), $"creating pool {PoolName} on {nodeName}");
    }

    public void ResetActivity() => _runner.Reset();

    public StorageActivity Activity()
    {
        var commands = _runner.Commands;
        var mutating = commands.Where(c => !QueryCommands.IsQuery(c)).Select(Describe).ToList();
        var byProgram = commands.GroupBy(c => Path.GetFileName(c.Program)).Select(g => $"{g.Key} ×{g.Count()}");
        return new StorageActivity(commands.Count - mutating.Count, mutating.Count, commands.Count == 0 ? "none" : string.Join(", ", byProgram), mutating);
    }

    public async Task<IReadOnlyList<string>> CheckHostAsync(IReadOnlyDictionary<string, string> devices)
    {
        var problems = new List<string>();
        var loops = (await OwnLoopsAsync()).ToLookup(l => l.BackingFile, StringComparer.Ordinal);
        foreach (var (name, device) in devices)
        {
            var file = Path.Join(_directory, name + ".img");
            var attached = loops[file].ToList();
            if (!File.Exists(file))
            {
                problems.Add($"{file} does not exist");
            }
            else if (new FileInfo(file).Length != VolumeKiB * 1024)
            {
                problems.Add($"{file} has {new FileInfo(file).Length} bytes, not {VolumeKiB * 1024}");
            }
            if (attached.Count != 1 || attached[0].Device != device || attached[0].Deleted)
            {
                problems.Add($"{file}: expected exactly loop device {device}, found [{string.Join(", ", attached.Select(l => l.Device + (l.Deleted ? " (deleted)" : "")))}]");
            }
        }
        var files = Directory.EnumerateFiles(_directory, "*.img").Select(Path.GetFileNameWithoutExtension).Where(n => n is not null && !devices.ContainsKey(n));
        problems.AddRange(files.Select(n => $"unexpected volume file {n}.img"));
        return problems;
    }

    /// <summary>Detaches every loop device on a file in the pool directory, then deletes the directory.</summary>
    public async ValueTask DisposeAsync()
    {
        var loops = await OwnLoopsAsync();
        var direct = new CommandRunner();
        foreach (var loop in loops)
        {
            try
            {
                await LoopDevices.DetachAsync(direct, loop.Device, CancellationToken.None);
            }
            catch (CommandFailedException ex)
            {
                Console.Error.WriteLine($"  could not detach {loop.Device} ({loop.BackingFile}): {ex.Message}");
            }
        }
        var left = await OwnLoopsAsync();
        if (left.Count > 0)
        {
            Console.Error.WriteLine($"  {left.Count} loop device(s) still attached under {_directory}: {string.Join(", ", left.Select(l => l.Device))}");
        }
        else
        {
            Console.WriteLine($"  detached {loops.Count} loop device(s) under {_directory}");
        }
        Directory.Delete(_directory, recursive: true);
    }

    private async Task<IReadOnlyList<LoopDevice>> OwnLoopsAsync() =>
        [.. (await LoopDevices.ListAsync(new CommandRunner(), CancellationToken.None)).Where(l => l.BackingFile.StartsWith(_directory + "/", StringComparison.Ordinal))];

    private static string Describe(CommandSpec command) => string.Join(' ', [Path.GetFileName(command.Program), .. command.Args]);

    private static void Check(CommandReply reply, string what)
    {
        if (!reply.Accepted)
        {
            throw new BenchFailedException($"{what} was rejected: {string.Join("; ", reply.Messages.Select(m => m.Message + " " + m.Cause))}");
        }
    }
}
