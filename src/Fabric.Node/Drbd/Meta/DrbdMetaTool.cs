using System.Globalization;
using Fabric.Node.Drbd.Kernel;
using Fabric.Node.Process;

namespace Fabric.Node.Drbd.Meta;

/// <summary>
/// <see cref="IDrbdMetadata"/> over drbd-utils' <c>drbdmeta</c>, always with internal meta-data and
/// <c>--force</c> (no interactive confirmation; it also lets drbdmeta work on plain image files).
/// The format follows the driver: <c>v09</c> for DRBD 9 (API 2, with a number of peer bitmap slots),
/// <c>v08</c> for the in-tree 8.4 driver (API 1, one peer). Meta-data is detected with
/// <c>get-gi</c>: exit 0 means valid meta-data of that format, exit 1 none; anything else (the
/// device cannot be opened, the minor is configured in the kernel) is an error.
/// </summary>
public sealed class DrbdMetaTool(ICommandRunner runner, DrbdApiVersion api, string program = "drbdmeta") : IDrbdMetadata
{
    /// <summary>DRBD 9 keeps at most 31 peer slots (DRBD_PEERS_MAX 32 nodes).</summary>
    public const int MaxPeerSlots = 31;

    private static readonly TimeSpan DetectTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Writing the bitmap of a large device takes a while.</summary>
    private static readonly TimeSpan CreateTimeout = TimeSpan.FromMinutes(10);

    /// <summary>"v09" or "v08".</summary>
    public string Format { get; } = api == DrbdApiVersion.V2 ? "v09" : "v08";

    public async Task<bool> HasMetadataAsync(int minor, string device, CancellationToken cancellationToken)
    {
        // v09 get-gi needs a peer slot to report on; slot 0 exists in every v09 meta-data.
        var command = Command(minor, device, DetectTimeout, Format == "v09" ? ["get-gi", "--node-id", "0"] : ["get-gi"]);
        var result = await runner.RunAsync(command, cancellationToken).ConfigureAwait(false);
        return result.ExitCode switch
        {
            0 => true,
            1 => false,
            _ => throw new CommandFailedException(command, result.ExitCode, result.Stdout, result.Stderr,
                $"could not check {device} for DRBD {Format} meta-data (exit code {result.ExitCode}; is the device missing, or is minor {minor} attached in the kernel?)"),
        };
    }

    public async Task ApplyActivityLogAsync(int minor, string device, CancellationToken cancellationToken) =>
        await runner.RunCheckedAsync(Command(minor, device, CreateTimeout, ["apply-al"]), cancellationToken).ConfigureAwait(false);

    public async Task CreateMetadataAsync(int minor, string device, int peerSlots, CancellationToken cancellationToken)
    {
        if (Format == "v09" && peerSlots is < 1 or > MaxPeerSlots)
        {
            throw new ArgumentOutOfRangeException(nameof(peerSlots), peerSlots, $"DRBD 9 meta-data has 1..{MaxPeerSlots} peer slots.");
        }
        var command = Command(minor, device, CreateTimeout,
            Format == "v09" ? ["create-md", peerSlots.ToString(CultureInfo.InvariantCulture)] : ["create-md"]);
        await runner.RunCheckedAsync(command, cancellationToken).ConfigureAwait(false);
    }

    private CommandSpec Command(int minor, string device, TimeSpan timeout, string[] action)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(device);
        if (minor is < 0 or > (1 << 20) - 1)
        {
            throw new ArgumentOutOfRangeException(nameof(minor), minor, "DRBD minors are 0..1048575.");
        }
        return new CommandSpec(program, ["--force", minor.ToString(CultureInfo.InvariantCulture), Format, device, "internal", .. action], timeout);
    }
}
