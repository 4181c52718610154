namespace Fabric.Bench.Hosting;

/// <summary>HTTP clients with a connection pool sized to the benchmark's concurrency.</summary>
public static class BenchHttp
{
    public static HttpClient Create(Uri baseAddress, int maxConnections = 4, TimeSpan? timeout = null) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = maxConnections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = baseAddress,
            Timeout = timeout ?? TimeSpan.FromSeconds(60),
        };
}
