using System.Collections.Immutable;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Node.Process;
using Fabric.Node.Storage.Files;
using Fabric.Node.Storage.Lvm;
using Fabric.Node.Storage.Simulated;
using Fabric.Node.Storage.Zfs;

namespace Fabric.Node.Storage;

/// <summary>The storage providers of one node, by kind.</summary>
public sealed class StorageProviders
{
    private readonly ImmutableDictionary<ProviderKind, IStorageProvider> _byKind;

    /// <summary>A registry of <paramref name="providers"/>; two providers of the same kind are an error.</summary>
    public StorageProviders(IEnumerable<IStorageProvider> providers) =>
        _byKind = providers.ToImmutableDictionary(p => p.Kind);

    /// <summary>The kinds this node can serve.</summary>
    public IEnumerable<ProviderKind> Kinds => _byKind.Keys.Order();

    /// <summary>The real providers, running the host's tools through <paramref name="runner"/>.</summary>
    public static StorageProviders ForHost(ICommandRunner runner) => new(
    [
        new DisklessProvider(),
        new LvmProvider(runner),
        new LvmThinProvider(runner),
        new ZfsProvider(runner, thin: false, DeviceNodes.WaitUntilPresentAsync),
        new ZfsProvider(runner, thin: true, DeviceNodes.WaitUntilPresentAsync),
        new FileProvider(runner, thin: false),
        new FileProvider(runner, thin: true),
    ]);

    /// <summary>Every kind but DISKLESS served by a <see cref="SimulatedProvider"/> over <paramref name="storage"/>; DISKLESS stays diskless.</summary>
    public static StorageProviders Simulated(SimulatedStorage storage) => new(
        Enum.GetValues<ProviderKind>().Select(kind => kind == ProviderKind.Diskless
            ? (IStorageProvider)new DisklessProvider()
            : new SimulatedProvider(kind, storage)));

    public bool TryGet(ProviderKind kind, out IStorageProvider provider) => _byKind.TryGetValue(kind, out provider!);

    /// <summary>The provider for <paramref name="kind"/>; a StorageException when this node has none.</summary>
    public IStorageProvider For(ProviderKind kind) =>
        _byKind.TryGetValue(kind, out var provider)
            ? provider
            : throw new StorageException(
                $"This node has no {kind.ToApi()} storage provider",
                $"The node agent was started without support for {kind.ToApi()}.",
                $"Use a storage pool of a supported kind: {string.Join(", ", Kinds.Select(k => k.ToApi()))}.");
}
