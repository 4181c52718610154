using System.Collections.Immutable;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Placement;

namespace Fabric.Core.Tests.Placement;

/// <summary>Terse builders for autoplacer inputs.</summary>
internal static class B
{
    public static ImmutableSortedDictionary<string, string> Props(params (string Key, string Value)[] props) =>
        props.ToImmutableSortedDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    public static CandidatePool Pool(
        string name, ProviderKind kind = ProviderKind.Lvm, long? free = 100_000, long? total = 200_000,
        long reserved = 0, int resources = 0, string? shared = null, params (string, string)[] props) =>
        new(name, kind, free, total, reserved, resources, Props(props), shared);

    public static CandidatePool Diskless(string name = Autoplacer.DefaultDisklessPool) =>
        new(name, ProviderKind.Diskless, null, null, 0, 0, Props(), null);

    /// <summary>An online node with the given pools plus the default diskless pool.</summary>
    public static CandidateNode Node(string name, params CandidatePool[] pools) =>
        new(name, true, false, Props(), [.. pools, Diskless()], [], []);

    public static CandidateNode WithProps(this CandidateNode node, params (string, string)[] props) => node with { Props = Props(props) };

    public static CandidateNode WithResources(this CandidateNode node, params string[] resources) =>
        node with { ResourceKeys = resources.Select(r => r.ToUpperInvariant()).ToImmutableHashSet() };

    public static CandidateNode Rack(this CandidateNode node, string rack) => node.WithProps(("Aux/rack", rack));

    public static PlacementOutcome.Placed Placed(this PlacementOutcome outcome) => Assert.IsType<PlacementOutcome.Placed>(outcome);

    public static PlacementOutcome.NotPlaced NotPlaced(this PlacementOutcome outcome) => Assert.IsType<PlacementOutcome.NotPlaced>(outcome);

    public static string[] NodeNames(this PlacementOutcome.Placed placed) => [.. placed.Diskful.Select(r => r.NodeName).Order(StringComparer.Ordinal)];

    public static PlacementOutcome Place(PlacementRequest request, IReadOnlyList<CandidateNode> nodes, IReadOnlyList<ExistingReplica>? existing = null, PlacementSettings? settings = null) =>
        Autoplacer.Place(request, nodes, existing ?? [], settings ?? new PlacementSettings());
}
