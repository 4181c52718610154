namespace Fabric.Bench.Hosting;

/// <summary>A fresh data directory under the temp directory, deleted on dispose unless kept.</summary>
public sealed class TempDataDir : IDisposable
{
    public TempDataDir(string purpose, bool keep = false)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "fabric-bench", $"{purpose}-{DateTime.Now:yyyyMMdd-HHmmss}-{Guid.NewGuid():N}"[..^24]);
        Keep = keep;
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public bool Keep { get; }

    public string DatabaseFile => System.IO.Path.Combine(Path, "fabric.db");

    public void Dispose()
    {
        if (Keep)
        {
            Console.WriteLine($"  data kept in {Path}");
            return;
        }
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException ex)
        {
            Console.WriteLine($"  could not delete {Path}: {ex.Message}");
        }
    }
}
