namespace Fabric.Bench.Hosting;

/// <summary>Where one host listens; fresh free loopback ports each time.</summary>
public sealed record HostEndpoints(int RestPort, int ManagementPort, int ClusterPort)
{
    public static HostEndpoints Free()
    {
        var ports = FreePorts.Take(3);
        return new HostEndpoints(ports[0], ports[1], ports[2]);
    }

    public Uri Rest => new($"http://127.0.0.1:{RestPort}");

    public Uri Management => new($"http://127.0.0.1:{ManagementPort}");
}
