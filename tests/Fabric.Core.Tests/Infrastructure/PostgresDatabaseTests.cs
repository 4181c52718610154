using Npgsql;
using Xunit;

namespace Fabric.Core.Tests.Infrastructure;

public sealed class PostgresDatabaseTests
{
    [Fact]
    public async Task Creates_a_usable_database_and_drops_it_on_dispose()
    {
        var database = await PostgresDatabase.CreateAsync();
        Assert.StartsWith(PostgresDatabase.NamePrefix, database.Name, StringComparison.Ordinal);

        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            Assert.Equal(database.Name, connection.Database);
            await using var select = new NpgsqlCommand("select 1", connection);
            Assert.Equal(1, await select.ExecuteScalarAsync());
            Assert.True(await ExistsAsync(database.Name));
        }

        await database.DisposeAsync();

        Assert.False(await ExistsAsync(database.Name));
        await database.DisposeAsync(); // idempotent
    }

    [Fact]
    public async Task Dispose_drops_the_database_even_with_connections_open()
    {
        var database = await PostgresDatabase.CreateAsync();
        var open = new NpgsqlConnection(database.ConnectionString);
        await open.OpenAsync();

        database.Dispose();

        Assert.False(await ExistsAsync(database.Name));
        await open.DisposeAsync();
    }

    [Fact]
    public async Task Each_database_is_new()
    {
        await using var first = await PostgresDatabase.CreateAsync();
        await using var second = await PostgresDatabase.CreateAsync();

        Assert.NotEqual(first.Name, second.Name);
        Assert.NotEqual(first.ConnectionString, second.ConnectionString);
    }

    [Fact]
    public async Task Unreachable_server_fails_loudly_pointing_at_the_start_script()
    {
        const string nobodyListens = "Host=127.0.0.1;Port=1;Username=fabric;Password=fabric;Database=postgres;Timeout=5";

        var ex = await Assert.ThrowsAsync<PostgresUnavailableException>(() => PostgresDatabase.CreateAsync(nobodyListens));

        Assert.Contains("tests/pg/start-postgres.sh", ex.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:1", ex.Message, StringComparison.Ordinal);
        Assert.NotNull(ex.InnerException);
    }

    private static async Task<bool> ExistsAsync(string name)
    {
        await using var connection = new NpgsqlConnection(PostgresDatabase.BaseConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from pg_database where datname = @name", connection);
        command.Parameters.AddWithValue("name", name);
        return (long)(await command.ExecuteScalarAsync())! == 1;
    }
}
