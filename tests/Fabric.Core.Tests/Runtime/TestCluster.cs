using System.Net;
using System.Net.Sockets;
using Fabric.Core.Runtime;

namespace Fabric.Core.Tests.Runtime;

/// <summary>Settings for a throw-away single-process cluster on loopback with a real journal file.</summary>
public static class TestCluster
{
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string TempDataDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "fabric-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static FabricSettings Sqlite(string dataDir, string nodeName = "testnode") => new()
    {
        DataDir = dataDir,
        ClusterPort = FreePort(),
        NodeName = nodeName,
        ActorSystemName = "fabric",
    };
}
