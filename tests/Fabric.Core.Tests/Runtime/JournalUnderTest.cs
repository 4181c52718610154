using System.Data.Common;
using Fabric.Core.Runtime;
using Fabric.Core.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Fabric.Core.Tests.Runtime;

/// <summary>A real journal database for one test: a SQLite file, or a fresh PostgreSQL 15 database.</summary>
public sealed class JournalUnderTest : IAsyncDisposable
{
    private readonly PostgresDatabase? _postgres;

    private JournalUnderTest(FabricSettings settings, PostgresDatabase? postgres)
    {
        Settings = settings;
        _postgres = postgres;
    }

    public FabricSettings Settings { get; }

    public static TheoryData<string> Kinds => new() { "sqlite", "postgresql" };

    public static async Task<JournalUnderTest> CreateAsync(string kind)
    {
        var settings = TestCluster.Sqlite(TestCluster.TempDataDir());
        if (kind == "sqlite")
        {
            return new JournalUnderTest(settings, null);
        }
        var database = await PostgresDatabase.CreateAsync();
        return new JournalUnderTest(settings with { Journal = JournalKind.PostgreSql, JournalConnection = database.ConnectionString }, database);
    }

    /// <summary>Same journal, fresh cluster port: a restarted process.</summary>
    public FabricSettings Restarted(Func<FabricSettings, FabricSettings>? change = null) =>
        (change ?? (s => s))(Settings with { ClusterPort = TestCluster.FreePort() });

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = Open();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? 0 : Convert.ToInt64(result, System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<int> ExecuteAsync(string sql)
    {
        await using var connection = Open();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }

    private DbConnection Open() => _postgres is null
        ? new SqliteConnection(Settings.EffectiveJournalConnection)
        : new NpgsqlConnection(Settings.EffectiveJournalConnection);

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }
}
