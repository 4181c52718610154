namespace Fabric.Core.Runtime;

public enum JournalKind
{
    Sqlite,
    PostgreSql,
}

/// <summary>Everything a user sets for one Fabric process (command line, environment or code).</summary>
public sealed record FabricSettings
{
    public const string Controller = "controller";
    public const string Satellite = "satellite";

    public string DataDir { get; init; } = "./data";
    public string BindAddress { get; init; } = "127.0.0.1";
    public int RestPort { get; init; } = 3370;
    public int ManagementPort { get; init; } = 8558;
    public string ClusterHost { get; init; } = "127.0.0.1";
    public int ClusterPort { get; init; } = 2552;

    /// <summary>The address other members use for this one (Akka's public-hostname); null: <see cref="ClusterHost"/>.</summary>
    public string? ClusterPublicHost { get; init; }

    /// <summary>The address the own node's default net interface registers with (DRBD's address); null: the public cluster address.</summary>
    public string? NodeAddress { get; init; }

    public string EffectivePublicHost => string.IsNullOrWhiteSpace(ClusterPublicHost) ? ClusterHost : ClusterPublicHost;

    public string EffectiveNodeAddress => string.IsNullOrWhiteSpace(NodeAddress) ? EffectivePublicHost : NodeAddress;
    public IReadOnlyList<string> Roles { get; init; } = [Controller, Satellite];
    public string NodeName { get; init; } = System.Net.Dns.GetHostName();
    public IReadOnlyList<string> SeedNodes { get; init; } = [];
    public JournalKind Journal { get; init; } = JournalKind.Sqlite;

    /// <summary>Connection string; for SQLite the default is a file in <see cref="DataDir"/>.</summary>
    public string? JournalConnection { get; init; }

    public string ActorSystemName { get; init; } = "fabric";
    public TimeSpan SplitBrainStableAfter { get; init; } = TimeSpan.FromSeconds(7);

    /// <summary>Each entity snapshots after this many events.</summary>
    public int EntitySnapshotEvery { get; init; } = 100;

    /// <summary>The read model snapshots after this many events (and every minute when changed).</summary>
    public int ReadModelSnapshotEvery { get; init; } = 5000;

    public TimeSpan ReadModelSnapshotInterval { get; init; } = TimeSpan.FromMinutes(1);

    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a controller looks for resource operations left open (by a crash) and resumes them.</summary>
    public TimeSpan OperationSweepInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How often a node agent publishes its <c>NodeAgentReport</c>.</summary>
    public TimeSpan NodeHeartbeatInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A node whose agent sent no report for this long is offline on every controller.</summary>
    public TimeSpan NodeStatusTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a node's sync entity looks for desired-state changes to push to its agent.</summary>
    public TimeSpan NodeSyncPushInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>A member with seed nodes that is not Up after this long starts over as a new incarnation.</summary>
    public TimeSpan JoinTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Where a satellite keeps the .res file of each DRBD resource it runs (for the kernel's drbdadm helper and for humans).</summary>
    public string DrbdResDirectory { get; init; } = "/var/lib/fabric/drbd.d";

    /// <summary>How many times a member with seed nodes tries to join before start-up fails.</summary>
    public int JoinAttempts { get; init; } = 10;

    /// <summary>A HOCON file layered over Fabric's Akka configuration (and over the settings generated from these options).</summary>
    public string? AkkaConfigFile { get; init; }

    /// <summary>How many resources a node agent reconciles at once.</summary>
    public int AgentMaxParallel { get; init; } = 8;

    /// <summary>In-process simulated satellites the host starts (sim-1 ... sim-N).</summary>
    public int SimulateNodes { get; init; }

    public bool IsController => Roles.Contains(Controller);

    public bool IsSatellite => Roles.Contains(Satellite);

    public string EffectiveJournalConnection => JournalConnection
        ?? (Journal == JournalKind.Sqlite
            ? $"Data Source={Path.Combine(Path.GetFullPath(DataDir), "fabric.db")}"
            : throw new InvalidOperationException("--journal postgresql needs --journal-connection (an Npgsql connection string)."));

    /// <summary>"combined" means controller + satellite; otherwise a comma-separated list.</summary>
    public static IReadOnlyList<string> ParseRoles(string text)
    {
        var roles = new List<string>();
        foreach (var part in text.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            switch (part.ToLowerInvariant())
            {
                case "combined":
                    roles.Add(Controller);
                    roles.Add(Satellite);
                    break;
                case Controller or Satellite:
                    roles.Add(part.ToLowerInvariant());
                    break;
                default:
                    throw new ArgumentException($"Unknown role '{part}': use controller, satellite or combined.");
            }
        }
        if (roles.Count == 0)
        {
            throw new ArgumentException("No role given: use controller, satellite or combined.");
        }
        return roles.Distinct().ToList();
    }

    public static JournalKind ParseJournal(string text) => text.Trim().ToLowerInvariant() switch
    {
        "sqlite" => JournalKind.Sqlite,
        "postgresql" or "postgres" or "pg" => JournalKind.PostgreSql,
        _ => throw new ArgumentException($"Unknown journal '{text}': use sqlite or postgresql."),
    };

    /// <summary>Seeds may be given as full Akka addresses or as host:port.</summary>
    public IEnumerable<string> SeedAddresses => SeedNodes.Select(s =>
        s.Contains("://", StringComparison.Ordinal) ? s : $"akka.tcp://{ActorSystemName}@{s}");
}
