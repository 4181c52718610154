using Fabric.Core.Runtime;
using Fabric.Node.Storage;

namespace Fabric.Bench.Reconnect;

/// <summary>What storage operations a reconnect caused: listings are expected, anything else is not.</summary>
/// <param name="Listings">Pool inspections and listings (simulated) or read-only commands (real tools).</param>
/// <param name="Mutations">Operations that may change storage (simulated creates/activations/resizes/deletes, or non-query commands).</param>
/// <param name="Detail">Commands or operations by name and count, e.g. "losetup ×1, stat ×1".</param>
/// <param name="MutatingDetail">The mutating commands or operations themselves, for the failure message.</param>
public sealed record StorageActivity(int Listings, int Mutations, string Detail, IReadOnlyList<string> MutatingDetail);

/// <summary>
/// The storage a benchmarked satellite serves: it outlives every agent incarnation (so volumes are
/// already in place when a new one starts), counts what each incarnation does to it, and checks the
/// host's side of the volumes independently of what the agent reports.
/// </summary>
public interface ISatelliteBacking : IAsyncDisposable
{
    /// <summary>"simulated" or "file-thin".</summary>
    string Name { get; }

    /// <summary>The storage pool the node's replicas use.</summary>
    string PoolName { get; }

    /// <summary>The size of every volume.</summary>
    long VolumeKiB { get; }

    /// <summary>The providers each agent incarnation gets (the same objects every time).</summary>
    StorageProviders Providers { get; }

    /// <summary>Creates the node and its pool through the node entity.</summary>
    Task RegisterNodeAsync(FabricSystem fabric, string nodeName);

    /// <summary>Starts counting from zero.</summary>
    void ResetActivity();

    /// <summary>What happened since the last <see cref="ResetActivity"/>.</summary>
    StorageActivity Activity();

    /// <summary>
    /// Problems with the volumes as the host holds them (empty when all is well): every expected
    /// volume exists exactly once, on <paramref name="devices"/>' device, and no other volume exists.
    /// </summary>
    /// <param name="devices">Volume storage name (e.g. <c>rsc-0001_00000</c>) to its expected device path.</param>
    Task<IReadOnlyList<string>> CheckHostAsync(IReadOnlyDictionary<string, string> devices);
}
