using System.Text.Json;
using Fabric.Node.Process;

namespace Fabric.Node.Storage.Files;

/// <summary>A loop device and the file behind it; <see cref="Deleted"/> when that file was removed while attached.</summary>
public sealed record LoopDevice(string Device, string BackingFile, bool Deleted);

/// <summary>The <c>losetup</c> commands the file providers run; every loop device operation goes through the command runner.</summary>
public static class LoopDevices
{
    private const string DeletedSuffix = " (deleted)";

    /// <summary>Every attached loop device in one call: <c>losetup --list --json --output NAME,BACK-FILE</c>.</summary>
    public static readonly CommandSpec ListCommand = CommandSpec.Of("losetup", "--list", "--json", "--output", "NAME,BACK-FILE");

    public static async Task<IReadOnlyList<LoopDevice>> ListAsync(ICommandRunner runner, CancellationToken cancellationToken)
    {
        var result = await runner.RunCheckedAsync(ListCommand, cancellationToken).ConfigureAwait(false);
        return Parse(result.Stdout);
    }

    /// <summary>Parses <see cref="ListCommand"/>'s JSON; empty output (no loop devices on some versions) is an empty list.</summary>
    public static IReadOnlyList<LoopDevice> Parse(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }
        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("loopdevices", out var devices) || devices.ValueKind != JsonValueKind.Array)
        {
            return [];
        }
        var loops = new List<LoopDevice>();
        foreach (var device in devices.EnumerateArray())
        {
            var name = device.TryGetProperty("name", out var n) ? n.GetString() : null;
            var backing = device.TryGetProperty("back-file", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString() : null;
            if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(backing))
            {
                continue;
            }
            var deleted = backing.EndsWith(DeletedSuffix, StringComparison.Ordinal);
            loops.Add(new LoopDevice(name, deleted ? backing[..^DeletedSuffix.Length] : backing, deleted));
        }
        return loops;
    }

    /// <summary><c>losetup --find --show &lt;file&gt;</c>: attaches the file to a free loop device and returns its path.</summary>
    public static async Task<string> AttachAsync(ICommandRunner runner, string file, CancellationToken cancellationToken)
    {
        var attach = CommandSpec.Of("losetup", "--find", "--show", file);
        var result = await runner.RunCheckedAsync(attach, cancellationToken).ConfigureAwait(false);
        var device = result.Stdout.Trim();
        return device.StartsWith("/dev/", StringComparison.Ordinal)
            ? device
            : throw new CommandFailedException(attach, result.ExitCode, result.Stdout, result.Stderr, "printed no loop device");
    }

    /// <summary><c>losetup --detach &lt;device&gt;</c>; a device that is already free counts as detached.</summary>
    public static async Task DetachAsync(ICommandRunner runner, string device, CancellationToken cancellationToken)
    {
        var detach = CommandSpec.Of("losetup", "--detach", device);
        var result = await runner.RunAsync(detach, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0 && !result.Stderr.Contains("No such device or address", StringComparison.Ordinal))
        {
            throw CommandFailedException.ForResult(detach, result);
        }
    }

    /// <summary><c>losetup --set-capacity &lt;device&gt;</c>: makes the device re-read its backing file's size.</summary>
    public static Task SetCapacityAsync(ICommandRunner runner, string device, CancellationToken cancellationToken) =>
        runner.RunCheckedAsync(CommandSpec.Of("losetup", "--set-capacity", device), cancellationToken);
}
