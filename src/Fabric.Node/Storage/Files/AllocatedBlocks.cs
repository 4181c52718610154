using System.Globalization;
using Fabric.Node.Process;

namespace Fabric.Node.Storage.Files;

/// <summary>
/// The space files really occupy (st_blocks), which .NET does not expose: one
/// <c>stat --format "%b %B %n" -- &lt;files&gt;</c> per <see cref="FilesPerCall"/> files, never one call per file.
/// </summary>
public static class AllocatedBlocks
{
    /// <summary>Files per stat call, keeping the argument list far below the kernel's limit.</summary>
    public const int FilesPerCall = 1000;

    /// <summary>KiB allocated per file path; a file that vanished meanwhile is left out.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> ReadAsync(ICommandRunner runner, IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        var allocated = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var chunk in files.Chunk(FilesPerCall))
        {
            var stat = CommandSpec.Of("stat", ["--format", "%b %B %n", "--", .. chunk]);
            var result = await runner.RunAsync(stat, cancellationToken).ConfigureAwait(false);
            // stat exits 1 when some file vanished after it was listed but still prints the others.
            if (result.ExitCode != 0 && result.Stdout.Length == 0)
            {
                throw CommandFailedException.ForResult(stat, result);
            }
            foreach (var (file, kib) in Parse(result.Stdout))
            {
                allocated[file] = kib;
            }
        }
        return allocated;
    }

    /// <summary>Parses "blocks block-size name" lines.</summary>
    public static IEnumerable<(string File, long KiB)> Parse(string stdout)
    {
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ', 3);
            if (parts.Length == 3
                && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var blocks)
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var blockSize))
            {
                yield return (parts[2], (blocks * blockSize + 1023) / 1024);
            }
        }
    }
}
