using Fabric.Node.Drbd.Kernel;
using Fabric.Node.Drbd.Netlink;
using Fabric.Node.Drbd.State;

namespace Fabric.Host.Cli;

/// <summary>
/// <c>Fabric.Host drbd ...</c>: an administrator's handle on this host's DRBD through Fabric's own
/// netlink driver (no drbdsetup): <c>status [RESOURCE]</c>, <c>primary RESOURCE [--force]</c>,
/// <c>secondary RESOURCE</c>. Promotion is the application's business in Fabric (as in LINSTOR);
/// this is for operators and for the lab. Exit code 0 on success, 1 when the driver refused (the
/// reason is printed), 2 for bad usage.
/// </summary>
public static class DrbdCommand
{
    public const string Usage = "usage: Fabric.Host drbd status [RESOURCE] | primary RESOURCE [--force] | secondary RESOURCE";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        if (args.Count == 0 || args[0] is not ("status" or "primary" or "secondary") || (args[0] is "primary" or "secondary" && args.Count < 2))
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await using var kernel = await NetlinkDrbdKernel.OpenAsync(null, cts.Token);
            switch (args[0])
            {
                case "primary":
                    var force = args.Contains("--force");
                    if (!force && await RefusalAsync(kernel, args[1], cts.Token) is { } refusal)
                    {
                        await error.WriteLineAsync($"fabric drbd: not promoting {args[1]}: {refusal}");
                        return 1;
                    }
                    await kernel.PrimaryAsync(args[1], force, cts.Token);
                    await output.WriteLineAsync($"{args[1]}: Primary");
                    return 0;
                case "secondary":
                    await kernel.SecondaryAsync(args[1], force: false, cts.Token);
                    await output.WriteLineAsync($"{args[1]}: Secondary");
                    return 0;
                case "status":
                    var state = DrbdStateMachine.Apply(DrbdHostState.Empty, await kernel.DumpStateAsync(cts.Token));
                    await output.WriteLineAsync($"DRBD {kernel.Info.Version} (API {(int)kernel.Info.Api})");
                    foreach (var resource in state.Resources.Values.Where(r => args.Count < 2 || r.Name == args[1]))
                    {
                        await output.WriteLineAsync(Describe(DrbdStatusRules.Status(resource)));
                    }
                    return 0;
                default:
                    await error.WriteLineAsync(Usage);
                    return 2;
            }
        }
        catch (DrbdKernelException ex)
        {
            await error.WriteLineAsync($"fabric drbd: {ex.Message}");
            return 1;
        }
    }

    /// <summary>Why the resource may not be promoted now (another Primary, no UpToDate data, no quorum), or null.</summary>
    private static async Task<string?> RefusalAsync(IDrbdKernel kernel, string resource, CancellationToken cancellationToken)
    {
        var state = DrbdStateMachine.Apply(DrbdHostState.Empty, await kernel.DumpStateAsync(cancellationToken));
        if (state.Find(resource) is not { } observed)
        {
            return $"DRBD resource '{resource}' does not exist on this node";
        }
        // The kernel reports each device's quorum; the settings only shape the explanation.
        var settings = observed.Devices.Values.Any(d => !d.Info.HasQuorum) ? Fabric.Node.Drbd.Quorum.DrbdQuorumSettings.Majority : Fabric.Node.Drbd.Quorum.DrbdQuorumSettings.Off;
        var decision = DrbdPromotionRules.Decide(observed, settings);
        return decision.Allowed ? null : decision.Reason;
    }

    /// <summary>One resource in the spirit of <c>drbdsetup status</c>.</summary>
    public static string Describe(DrbdResourceStatus status)
    {
        var lines = new List<string> { $"{status.Name} role:{status.Role} suspended:{status.Suspended} may_promote:{(status.MayPromote ? "yes" : "no")} promotion_score:{status.PromotionScore}" };
        lines.AddRange(status.Volumes.Select(v => $"  volume:{v.Volume} minor:{v.Minor} disk:{v.Disk} quorum:{(v.HasQuorum ? "yes" : "no")}" + (v.SizeKiB is { } size ? $" size:{size}k" : string.Empty)));
        foreach (var peer in status.Peers)
        {
            lines.Add($"  {peer.Name ?? "node-id " + peer.NodeId} node-id:{peer.NodeId} connection:{peer.Connection} role:{peer.Role}");
            lines.AddRange(peer.Volumes.Select(v => $"    volume:{v.Volume} replication:{v.Replication} peer-disk:{v.PeerDisk}" + (v.DonePercent is { } done ? $" done:{done:0.00}" : string.Empty)));
        }
        return string.Join(Environment.NewLine, lines);
    }
}
