using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Fabric.Bench.Hosting;

/// <summary>Row counts and sizes of a SQLite journal file, read directly (WAL allows it while the host runs).</summary>
public sealed record JournalStats(IReadOnlyDictionary<string, long> RowsByTable, long MaxOrdering, long DatabaseBytes, long WalBytes, long? ReadModelSnapshotOffset, long? ReadModelSnapshotBytes)
{
    public long JournalRows => RowsByTable.GetValueOrDefault("journal");

    public static JournalStats Read(string databaseFile)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = databaseFile, Pooling = false };
        using var connection = new SqliteConnection(builder.ConnectionString);
        connection.Open();
        var tables = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }
        var rows = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            rows[table] = Scalar(connection, $"SELECT COUNT(*) FROM \"{table}\"") ?? 0;
        }
        var maxOrdering = tables.Contains("journal") ? Scalar(connection, "SELECT MAX(ordering) FROM journal") ?? 0 : 0;
        long? snapshotOffset = null;
        long? snapshotBytes = null;
        if (tables.Contains("snapshot") && Columns(connection, "snapshot").FirstOrDefault(c => c.StartsWith("sequence", StringComparison.Ordinal)) is { } sequence)
        {
            snapshotOffset = Scalar(connection, $"SELECT MAX({sequence}) FROM snapshot WHERE persistence_id = 'fabric-read-model'");
            snapshotBytes = Scalar(connection, $"SELECT LENGTH(snapshot) FROM snapshot WHERE persistence_id = 'fabric-read-model' ORDER BY {sequence} DESC LIMIT 1");
        }
        return new JournalStats(rows, maxOrdering, Size(databaseFile), Size(databaseFile + "-wal"), snapshotOffset, snapshotBytes);
    }

    /// <summary>Copies a journal (consistently, through SQLite's backup) and deletes the read model's snapshots in the copy.</summary>
    public static void CopyWithoutReadModelSnapshot(string sourceFile, string targetFile)
    {
        using (var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = sourceFile, Pooling = false }.ConnectionString))
        using (var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = targetFile, Pooling = false }.ConnectionString))
        {
            source.Open();
            target.Open();
            source.BackupDatabase(target);
            using var delete = target.CreateCommand();
            delete.CommandText = "DELETE FROM snapshot WHERE persistence_id = 'fabric-read-model'; PRAGMA journal_mode=WAL;";
            delete.ExecuteNonQuery();
        }
    }

    private static List<string> Columns(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA table_info(\"{table}\")";
        using var reader = command.ExecuteReader();
        var columns = new List<string>();
        while (reader.Read())
        {
            columns.Add(reader.GetString(1));
        }
        return columns;
    }

    private static long? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = command.ExecuteScalar();
        return value is null or DBNull ? null : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }

    private static long Size(string file) => File.Exists(file) ? new FileInfo(file).Length : 0;
}
