using System.Reflection;
using Akka.Configuration;
using Akka.Persistence.Sql;
using Fabric.Core.Serialization;

namespace Fabric.Core.Runtime;

/// <summary>Builds the Akka configuration: generated user settings over the hocon/ files.</summary>
public static class AkkaConfig
{
    public static Config Build(FabricSettings settings, Config? overrides = null)
    {
        var generated = ConfigurationFactory.ParseString(Generated(settings));
        var config = generated;
        if (overrides is not null)
        {
            config = overrides.WithFallback(config);
        }
        config = config.WithFallback(Embedded("fabric.conf")).WithFallback(SerializationConfig.Hocon);
        config = config.WithFallback(settings.IsController ? Embedded("controller.conf") : Embedded("node.conf"));
        return config.WithFallback(SqlPersistence.DefaultConfiguration);
    }

    public static Config Embedded(string fileName)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("hocon." + fileName)
            ?? throw new InvalidOperationException($"hocon/{fileName} is not embedded in Fabric.Core.");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static string Generated(FabricSettings s)
    {
        var roles = string.Join(", ", s.Roles.Select(Quote));
        var seeds = string.Join(", ", s.SeedAddresses.Select(Quote));
        var text = $$"""
            akka.remote.dot-netty.tcp.hostname = {{Quote(s.ClusterHost)}}
            akka.remote.dot-netty.tcp.public-hostname = {{Quote(s.EffectivePublicHost)}}
            akka.remote.dot-netty.tcp.port = {{s.ClusterPort}}
            akka.cluster.roles = [{{roles}}]
            akka.cluster.seed-nodes = [{{seeds}}]
            akka.cluster.split-brain-resolver.stable-after = {{(int)s.SplitBrainStableAfter.TotalMilliseconds}}ms
            akka.actor.ask-timeout = {{(int)s.AskTimeout.TotalMilliseconds}}ms
            """;
        if (!s.IsController)
        {
            return text;
        }
        var provider = s.Journal == JournalKind.Sqlite ? "SQLite.MS" : "PostgreSQL.15";
        var connection = Quote(s.EffectiveJournalConnection);
        var sqliteTuning = s.Journal == JournalKind.Sqlite
            ? """
              parallelism = 1
              read-isolation-level = read-uncommitted
              """
            : "parallelism = 3";
        return text + $$"""

            akka.persistence.journal.sql {
              connection-string = {{connection}}
              provider-name = "{{provider}}"
              {{sqliteTuning}}
            }
            akka.persistence.snapshot-store.sql {
              connection-string = {{connection}}
              provider-name = "{{provider}}"
            }
            akka.persistence.query.journal.sql {
              connection-string = {{connection}}
              provider-name = "{{provider}}"
            }
            """;
    }
}
