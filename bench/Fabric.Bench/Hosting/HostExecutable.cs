using Fabric.Bench.Reporting;

namespace Fabric.Bench.Hosting;

/// <summary>Finds Fabric.Host.dll with its runtimeconfig: next to the bench, else in src/Fabric.Host/bin.</summary>
public static class HostExecutable
{
    public static string Find()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "Fabric.Host.dll");
        if (Runnable(beside))
        {
            return beside;
        }
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        var built = Path.Combine(RepoPaths.Root, "src", "Fabric.Host", "bin", configuration, "net10.0", "Fabric.Host.dll");
        if (Runnable(built))
        {
            return built;
        }
        throw new FileNotFoundException($"Fabric.Host.dll with its runtimeconfig.json was found neither at {beside} nor at {built}.");
    }

    private static bool Runnable(string dll) => File.Exists(dll) && File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json"));
}
