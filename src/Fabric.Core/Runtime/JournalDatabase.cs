using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Fabric.Core.Runtime;

/// <summary>Direct access to the journal's database for preparation and health checks.</summary>
public static class JournalDatabase
{
    /// <summary>Creates the data directory and turns on WAL for SQLite (once per file; it persists).</summary>
    public static void Prepare(FabricSettings settings)
    {
        if (!settings.IsController || settings.Journal != JournalKind.Sqlite)
        {
            return;
        }
        var builder = new SqliteConnectionStringBuilder(settings.EffectiveJournalConnection);
        var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        using var connection = new SqliteConnection(builder.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        command.ExecuteNonQuery();
    }

    /// <summary>True when the journal database answers a trivial query within the timeout.</summary>
    public static async Task<bool> AnswersAsync(FabricSettings settings, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await using DbConnection connection = settings.Journal == JournalKind.Sqlite
                ? new SqliteConnection(settings.EffectiveJournalConnection)
                : new NpgsqlConnection(settings.EffectiveJournalConnection);
            await connection.OpenAsync(cts.Token);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            return Convert.ToInt32(await command.ExecuteScalarAsync(cts.Token), System.Globalization.CultureInfo.InvariantCulture) == 1;
        }
        catch (Exception ex) when (ex is DbException or OperationCanceledException or InvalidOperationException)
        {
            return false;
        }
    }
}
