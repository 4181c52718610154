using Npgsql;

namespace Fabric.Core.Tests.Infrastructure;

/// <summary>
/// A fresh, uniquely named PostgreSQL database for one test (or fixture), dropped on dispose.
/// The server comes from <c>FABRIC_TEST_PG</c> or <see cref="DefaultConnectionString"/>, which
/// <c>tests/pg/start-postgres.sh</c> sets up. An unreachable server is an error, never a skip.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable, IDisposable
{
    public const string EnvironmentVariable = "FABRIC_TEST_PG";
    public const string DefaultConnectionString = "Host=127.0.0.1;Port=55432;Username=fabric;Password=fabric;Database=postgres";
    public const string NamePrefix = "fabric_test_";

    private readonly string _adminConnectionString;
    private int _disposed;

    private PostgresDatabase(string adminConnectionString, string name, string connectionString)
    {
        _adminConnectionString = adminConnectionString;
        Name = name;
        ConnectionString = connectionString;
    }

    /// <summary>The server to use: <c>FABRIC_TEST_PG</c> if set and not empty, else <see cref="DefaultConnectionString"/>.</summary>
    public static string BaseConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : DefaultConnectionString;

    /// <summary>Name of the created database.</summary>
    public string Name { get; }

    /// <summary>Connection string of the created database (the base one with Database replaced).</summary>
    public string ConnectionString { get; }

    /// <summary>Creates a fresh database on the server named by <paramref name="baseConnectionString"/> (default: <see cref="BaseConnectionString"/>).</summary>
    /// <exception cref="PostgresUnavailableException">The server cannot be reached or refuses to create the database.</exception>
    public static async Task<PostgresDatabase> CreateAsync(string? baseConnectionString = null, CancellationToken cancellationToken = default)
    {
        var admin = new NpgsqlConnectionStringBuilder(baseConnectionString ?? BaseConnectionString);
        var name = NamePrefix + Guid.NewGuid().ToString("N");

        try
        {
            await using var connection = new NpgsqlConnection(admin.ConnectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand($"CREATE DATABASE {Quote(name)}", connection);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            throw new PostgresUnavailableException(Describe(admin), ex);
        }

        var database = new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = name };
        return new PostgresDatabase(admin.ConnectionString, name, database.ConnectionString);
    }

    /// <inheritdoc cref="CreateAsync"/>
    public static PostgresDatabase Create(string? baseConnectionString = null) =>
        CreateAsync(baseConnectionString).GetAwaiter().GetResult();

    /// <summary>Drops the database, terminating any connections still open to it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;

        await using (var pooled = new NpgsqlConnection(ConnectionString))
            NpgsqlConnection.ClearPool(pooled);

        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Quote(Name)} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Describe(NpgsqlConnectionStringBuilder admin) =>
        $"Cannot create a test database on PostgreSQL at {admin.Host}:{admin.Port} as user '{admin.Username}' " +
        $"(connection string from {(Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } ? EnvironmentVariable : "the default")}). " +
        "Run tests/pg/start-postgres.sh (as root) to start the test server, or set " +
        $"{EnvironmentVariable} to a server where that role may CREATEDB. ./test.sh does the former.";
}

/// <summary>The tests' PostgreSQL server is not usable; the message says how to start it.</summary>
public sealed class PostgresUnavailableException(string message, Exception innerException)
    : Exception($"{message} Cause: {innerException.Message}", innerException);
