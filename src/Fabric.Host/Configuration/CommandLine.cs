using System.Globalization;
using Fabric.Core.Runtime;

namespace Fabric.Host.Configuration;

/// <summary>One user setting: its command-line option, its environment variable, what it does.</summary>
public sealed record HostOption(string Name, string Environment, string Default, string Help);

/// <summary>Reads Fabric's settings from the command line (--name value or --name=value) and FABRIC_* variables.</summary>
public static class CommandLine
{
    public static readonly IReadOnlyList<HostOption> All =
    [
        new("--data-dir", "FABRIC_DATA_DIR", "./data", "Directory of the SQLite journal and other local state."),
        new("--bind-address", "FABRIC_BIND_ADDRESS", "127.0.0.1", "Address the REST and management endpoints listen on."),
        new("--rest-port", "FABRIC_REST_PORT", "3370", "Port of LINSTOR's REST API v1."),
        new("--management-port", "FABRIC_MANAGEMENT_PORT", "8558", "Port of /alive, /ready, /cluster/members, /cluster/shards."),
        new("--cluster-host", "FABRIC_CLUSTER_HOST", "127.0.0.1", "Address Akka remoting binds to and advertises."),
        new("--cluster-port", "FABRIC_CLUSTER_PORT", "2552", "Port of Akka remoting."),
        new("--cluster-public-host", "FABRIC_CLUSTER_PUBLIC_HOST", "(cluster-host)", "Address other members reach this one at, when it differs from the bind address (NAT, port forwarding)."),
        new("--node-address", "FABRIC_NODE_ADDRESS", "(cluster-public-host)", "Address of the own node's default net interface, which DRBD connects to (satellite role)."),
        new("--roles", "FABRIC_ROLES", "combined", "controller, satellite, or combined (both)."),
        new("--node-name", "FABRIC_NODE_NAME", "(host name)", "Name this process's node registers under (satellite role)."),
        new("--seed-nodes", "FABRIC_SEED_NODES", "(none: join itself)", "Comma-separated seed addresses, host:port or akka.tcp://fabric@host:port."),
        new("--journal", "FABRIC_JOURNAL", "sqlite", "Event journal: sqlite or postgresql."),
        new("--journal-connection", "FABRIC_JOURNAL_CONNECTION", "(data-dir/fabric.db)", "Connection string of the journal database."),
        new("--log-format", "FABRIC_LOG_FORMAT", "text", "text (readable console) or json (one JSON object per line)."),
        new("--log-level", "FABRIC_LOG_LEVEL", "Information", "Minimum log level: Verbose, Debug, Information, Warning, Error."),
        new("--sbr-stable-after", "FABRIC_SBR_STABLE_AFTER", "7", "Seconds the split-brain resolver waits for a stable view before downing."),
        new("--node-heartbeat-interval", "FABRIC_NODE_HEARTBEAT_INTERVAL", "2", "Seconds between a node agent's status reports."),
        new("--node-status-timeout", "FABRIC_NODE_STATUS_TIMEOUT", "10", "Seconds without a status report after which a node is OFFLINE."),
        new("--simulate-nodes", "FABRIC_SIMULATE_NODES", "0", "Start N in-process satellites (sim-01 ...) on simulated storage, to try a multi-node cluster on one machine."),
        new("--agent-max-parallel", "FABRIC_AGENT_MAX_PARALLEL", "8", "Resources a node agent reconciles at once."),
        new("--join-timeout", "FABRIC_JOIN_TIMEOUT", "30", "Seconds a member with seed nodes waits to join before it starts over as a new incarnation."),
        new("--drbd-res-dir", "FABRIC_DRBD_RES_DIR", "/var/lib/fabric/drbd.d", "Where a satellite writes a .res file per DRBD resource (included from /etc/drbd.d, so the kernel's drbdadm helper and drbdadm status find them)."),
        new("--akka-conf", "FABRIC_AKKA_CONF", "(none)", "A HOCON file whose settings override Fabric's Akka configuration (e.g. failure-detector pauses on slow hosts)."),
    ];

    public static string Usage()
    {
        var lines = new List<string> { "Fabric: software-defined block storage with LINSTOR's REST API.", string.Empty, "Options (each also from its environment variable):" };
        lines.AddRange(All.Select(o => $"  {o.Name,-22} {o.Environment,-28} default {o.Default}\n      {o.Help}"));
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>Merges environment and command line (command line wins) into raw values by option name.</summary>
    public static Dictionary<string, string> Collect(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var option in All)
        {
            if (environment(option.Environment) is { Length: > 0 } value)
            {
                values[option.Name] = value;
            }
        }
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            var name = eq > 0 ? arg[..eq] : arg;
            if (All.All(o => o.Name != name))
            {
                throw new ArgumentException($"Unknown option '{arg}'. Run with --help to list the options.");
            }
            if (eq > 0)
            {
                values[name] = arg[(eq + 1)..];
            }
            else if (i + 1 < args.Count)
            {
                values[name] = args[++i];
            }
            else
            {
                throw new ArgumentException($"Option '{name}' needs a value.");
            }
        }
        return values;
    }

    public static (FabricSettings Fabric, string LogFormat, string LogLevel) Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var v = Collect(args, environment);
        var settings = new FabricSettings();
        if (v.TryGetValue("--data-dir", out var dataDir)) { settings = settings with { DataDir = dataDir }; }
        if (v.TryGetValue("--bind-address", out var bind)) { settings = settings with { BindAddress = bind }; }
        if (v.TryGetValue("--rest-port", out var rest)) { settings = settings with { RestPort = Port("--rest-port", rest) }; }
        if (v.TryGetValue("--management-port", out var mgmt)) { settings = settings with { ManagementPort = Port("--management-port", mgmt) }; }
        if (v.TryGetValue("--cluster-host", out var host)) { settings = settings with { ClusterHost = host }; }
        if (v.TryGetValue("--cluster-public-host", out var publicHost)) { settings = settings with { ClusterPublicHost = publicHost }; }
        if (v.TryGetValue("--node-address", out var nodeAddress)) { settings = settings with { NodeAddress = nodeAddress }; }
        if (v.TryGetValue("--cluster-port", out var cport)) { settings = settings with { ClusterPort = Port("--cluster-port", cport, allowZero: true) }; }
        if (v.TryGetValue("--roles", out var roles)) { settings = settings with { Roles = FabricSettings.ParseRoles(roles) }; }
        if (v.TryGetValue("--node-name", out var node)) { settings = settings with { NodeName = node }; }
        if (v.TryGetValue("--seed-nodes", out var seeds)) { settings = settings with { SeedNodes = seeds.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) }; }
        if (v.TryGetValue("--journal", out var journal)) { settings = settings with { Journal = FabricSettings.ParseJournal(journal) }; }
        if (v.TryGetValue("--journal-connection", out var conn)) { settings = settings with { JournalConnection = conn }; }
        if (v.TryGetValue("--sbr-stable-after", out var sbr)) { settings = settings with { SplitBrainStableAfter = Seconds("--sbr-stable-after", sbr) }; }
        if (v.TryGetValue("--node-heartbeat-interval", out var beat)) { settings = settings with { NodeHeartbeatInterval = Seconds("--node-heartbeat-interval", beat) }; }
        if (v.TryGetValue("--node-status-timeout", out var timeout)) { settings = settings with { NodeStatusTimeout = Seconds("--node-status-timeout", timeout) }; }
        if (v.TryGetValue("--simulate-nodes", out var simulate)) { settings = settings with { SimulateNodes = Count("--simulate-nodes", simulate, allowZero: true) }; }
        if (v.TryGetValue("--join-timeout", out var join)) { settings = settings with { JoinTimeout = Seconds("--join-timeout", join) }; }
        if (v.TryGetValue("--drbd-res-dir", out var resDir)) { settings = settings with { DrbdResDirectory = Path.GetFullPath(resDir) }; }
        if (v.TryGetValue("--akka-conf", out var akkaConf))
        {
            if (!File.Exists(akkaConf))
            {
                throw new ArgumentException($"--akka-conf names '{akkaConf}', which does not exist.");
            }
            settings = settings with { AkkaConfigFile = Path.GetFullPath(akkaConf) };
        }
        if (v.TryGetValue("--agent-max-parallel", out var parallel)) { settings = settings with { AgentMaxParallel = Count("--agent-max-parallel", parallel, allowZero: false) }; }
        var logFormat = v.GetValueOrDefault("--log-format", "text").ToLowerInvariant();
        if (logFormat is not ("text" or "json"))
        {
            throw new ArgumentException($"--log-format must be text or json, not '{logFormat}'.");
        }
        return (settings, logFormat, v.GetValueOrDefault("--log-level", "Information"));
    }

    private static TimeSpan Seconds(string name, string text)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds <= 0)
        {
            throw new ArgumentException($"{name} must be a positive number of seconds, not '{text}'.");
        }
        return TimeSpan.FromSeconds(seconds);
    }

    private static int Count(string name, string text, bool allowZero)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count > 10_000 || (count == 0 && !allowZero))
        {
            throw new ArgumentException($"{name} must be a whole number from {(allowZero ? 0 : 1)} to 10000, not '{text}'.");
        }
        return count;
    }

    private static int Port(string name, string text, bool allowZero = false)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535 || (port == 0 && !allowZero))
        {
            throw new ArgumentException($"{name} must be a TCP port (1-65535), not '{text}'.");
        }
        return port;
    }
}
