using System.Collections.Immutable;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Placement;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Fabric.Core.Tests.Placement;

/// <summary>
/// Properties of <see cref="Autoplacer.Place"/> on random clusters, checked against <see cref="PlacementModel"/>,
/// an independent statement of the rules, and against brute force.
/// </summary>
public class AutoplacerProperties
{
    private const double Tolerance = 1e-9;

    // ------------------------------------------------------------ generators

    private static Gen<T> Either<T>(int weightA, T a, int weightB, Gen<T> b) => Gen.Frequency((weightA, Gen.Constant(a)), (weightB, b));

    private static Gen<bool> Chance(int inN) => Gen.Frequency((1, Gen.Constant(true)), (inN - 1, Gen.Constant(false)));

    private static readonly ProviderKind[] Kinds =
        [ProviderKind.Lvm, ProviderKind.LvmThin, ProviderKind.Zfs, ProviderKind.ZfsThin, ProviderKind.File, ProviderKind.FileThin, ProviderKind.Diskless];

    private static readonly Gen<CandidatePool> PoolGen =
        from kind in Gen.Frequency(
            (14, Gen.Constant(ProviderKind.Lvm)), (4, Gen.Constant(ProviderKind.LvmThin)), (2, Gen.Constant(ProviderKind.Zfs)),
            (1, Gen.Constant(ProviderKind.ZfsThin)), (1, Gen.Constant(ProviderKind.File)), (1, Gen.Constant(ProviderKind.FileThin)),
            (1, Gen.Constant(ProviderKind.Diskless)))
        from free in Either<long?>(1, null, 15, Gen.Choose(0, 10_000).Select(v => (long?)v))
        from extra in Either<long?>(1, null, 6, Gen.Choose(0, 10_000).Select(v => (long?)v))
        from reserved in Gen.Choose(0, 60_000)
        from resources in Gen.Choose(0, 10)
        from shared in Either<string?>(6, null, 1, Gen.Elements<string?>("san1", "san2"))
        from off in Chance(25)
        select new CandidatePool(
            "p", kind,
            kind == ProviderKind.Diskless ? null : free,
            kind == ProviderKind.Diskless || extra is null ? null : (free ?? 0) + extra,
            reserved, resources,
            off ? B.Props(("AutoplaceTarget", "false")) : B.Props(),
            kind == ProviderKind.Diskless ? null : shared);

    private static readonly string[] PoolNames = ["p1", "P2", "p3"];

    private sealed record GenNode(CandidateNode Node, int ExistingChoice);

    private static readonly Gen<GenNode> NodeGen =
        from online in Gen.Frequency((1, Gen.Constant(false)), (15, Gen.Constant(true)))
        from evacuating in Chance(25)
        from rack in Either<string?>(1, null, 4, Gen.Elements<string?>("r1", "r2", "r3"))
        from zone in Either<string?>(1, null, 3, Gen.Elements<string?>("z1", "z2"))
        from notTarget in Chance(30)
        from hasResource in Gen.ArrayOf(Chance(7), 3)
        from layers in Gen.Frequency(
            (6, Gen.Constant(ImmutableHashSet<string>.Empty)),
            (2, Gen.Constant(ImmutableHashSet.Create("DRBD", "STORAGE"))),
            (1, Gen.Constant(ImmutableHashSet.Create("STORAGE"))))
        from pools in Gen.ArrayOf(PoolGen, 3)
        from include in Gen.ArrayOf(Gen.Frequency((1, Gen.Constant(false)), (3, Gen.Constant(true))), 3)
        from existingChoice in Gen.Frequency((20, Gen.Constant(0)), (2, Gen.Constant(1)), (1, Gen.Constant(2)))
        select new GenNode(
            new CandidateNode(
                "x", online, evacuating,
                B.Props([.. new[] { ("Aux/rack", rack), ("Aux/zone", zone), ("AutoplaceTarget", notTarget ? "false" : null) }
                    .Where(p => p.Item2 is not null).Select(p => (p.Item1, p.Item2!))]),
                [.. pools.Select((p, i) => p with { PoolName = PoolNames[i] }).Where((_, i) => include[i])],
                [.. new[] { "OTHER1", "WEB-1", "DB" }.Where((_, i) => hasResource[i])],
                layers),
            existingChoice);

    private static readonly Gen<PlacementSettings> SettingsGen =
        from free in Gen.Elements(1.0, 0.0, 2.0)
        from reserved in Gen.Elements(0.0, 0.5, 1.0)
        from count in Gen.Elements(0.00001, 0.0, 0.3)
        from ratio in Gen.Elements(1.0, 2.0, 20.0)
        from minThin in Gen.Elements(0.0, 10.0, 50.0)
        from mix in Gen.Elements(false, true)
        select new PlacementSettings(free, reserved, count, ratio, minThin, mix);

    /// <param name="pairwise">Favour constraints that relate replicas to each other (where a greedy choice goes wrong).</param>
    private static Gen<PlacementRequest> RequestGen(ImmutableList<string> nodeNames, bool pairwise) =>
        from count in pairwise ? Gen.Choose(2, 4) : Gen.Frequency((3, Gen.Choose(1, 3)), (1, Gen.Choose(4, 5)))
        from additional in Chance(4)
        from size in pairwise ? Gen.Elements(0L, 100L, 500L) : Gen.Elements(0L, 100L, 100L, 500L, 500L, 2_000L, 8_000L)
        from names in Either(pairwise ? 1000 : 6, ImmutableList<string>.Empty, 1, Gen.SubListOf((IEnumerable<string>)nodeNames).Select(l => l.Select(n => n.ToUpperInvariant()).ToImmutableList()))
        from pools in Either(pairwise ? 1000 : 6, ImmutableList<string>.Empty, 1, Gen.SubListOf("p1", "p2", "p3").Select(l => l.ToImmutableList()))
        from same in pairwise
            ? Either(1, ImmutableList<string>.Empty, 3, Gen.Elements<ImmutableList<string>>(["Aux/rack"], ["Aux/zone"]))
            : Either(12, ImmutableList<string>.Empty, 3, Gen.Elements<ImmutableList<string>>(["Aux/rack"], ["Aux/zone=z1"], ["Aux/zone"]))
        from different in Either(pairwise ? 3 : 8, ImmutableList<string>.Empty, pairwise ? 1 : 4, Gen.Elements<ImmutableList<string>>(["Aux/rack"], ["Aux/zone"], ["Aux/rack=r1"], ["Aux/rack", "Aux/zone"]))
        from xMax in Gen.Elements(0, 0, 0, 0, 0, 1, 2)
        from notWith in Either(pairwise ? 1000 : 6, ImmutableList<string>.Empty, 1, Gen.Constant<ImmutableList<string>>(["other1"]))
        from regex in Either<string?>(pairwise ? 1000 : 6, null, 1, Gen.Elements<string?>("web-.*", "D."))
        from providers in Either(pairwise ? 1000 : 6, ImmutableList<ProviderKind>.Empty, 1, Gen.SubListOf((IEnumerable<ProviderKind>)Kinds).Select(l => l.ToImmutableList()))
        from layers in Either(pairwise ? 1000 : 6, ImmutableList<string>.Empty, 1, Gen.Elements<ImmutableList<string>>(["DRBD", "STORAGE"], ["storage"]))
        from disklessOnRemaining in Chance(4)
        select PlacementRequest.For("res1", size, count) with
        {
            PlaceCount = additional ? null : count,
            AdditionalPlaceCount = additional ? count : null,
            NodeNames = names,
            StoragePools = pools,
            ReplicasOnSame = same,
            ReplicasOnDifferent = different,
            XReplicasOnDifferent = xMax == 0 ? ImmutableSortedDictionary<string, int>.Empty : ImmutableSortedDictionary<string, int>.Empty.Add("Aux/zone", xMax),
            NotPlaceWithRsc = notWith,
            NotPlaceWithRscRegex = regex,
            Providers = providers,
            LayerStack = layers,
            DisklessOnRemaining = disklessOnRemaining,
        };

    private static Gen<Scenario> ScenarioGen(int maxNodes, bool pairwise = false) =>
        from n in pairwise ? Gen.Choose(4, maxNodes) : Gen.Frequency((1, Gen.Choose(1, 3)), (4, Gen.Choose(4, maxNodes)))
        from raw in Gen.ArrayOf(NodeGen, n)
        let nodes = raw.Select((g, i) => g.Node with { Name = $"node-{i}" }).ToImmutableList()
        let existing = raw.Select((g, i) => (g, nodes[i]))
            .SelectMany(x => x.g.ExistingChoice switch
            {
                1 when x.Item2.Pools.FirstOrDefault(p => p.Kind != ProviderKind.Diskless) is { } p =>
                    new[] { new ExistingReplica(x.Item2.Name, p.PoolName, p.Kind, false) },
                2 => [new ExistingReplica(x.Item2.Name, Autoplacer.DefaultDisklessPool, ProviderKind.Diskless, true)],
                _ => [],
            })
            .ToImmutableList()
        from request in RequestGen([.. nodes.Select(x => x.Name)], pairwise)
        from settings in SettingsGen
        select new Scenario(request, nodes, existing, settings);

    private static Arbitrary<Scenario> Scenarios(int maxNodes, bool pairwise = false) => Arb.From(ScenarioGen(maxNodes, pairwise));

    private static PlacementOutcome Run(Scenario s) => Autoplacer.Place(s.Request, s.Nodes, s.Existing, s.Settings);

    private static List<PlacementModel.Item> ItemsOf(Scenario s, PlacementOutcome.Placed placed) =>
        [.. placed.Diskful.Select(r =>
        {
            var node = Assert.Single(s.Nodes, n => n.Name == r.NodeName);
            var pool = Assert.Single(node.Pools, p => p.PoolName == r.PoolName);
            Assert.Equal(pool.Kind, r.Kind);
            Assert.False(r.Diskless);
            return new PlacementModel.Item(node, pool);
        })];

    // ------------------------------------------------------------ properties

    /// <summary>(1) A placement never breaks a constraint, diskful or diskless, and places exactly what is needed.</summary>
    [Property(MaxTest = 200)]
    public Property Placed_replicas_satisfy_every_constraint() => Prop.ForAll(Scenarios(12), s =>
    {
        if (Run(s) is not PlacementOutcome.Placed placed)
            return;
        var items = ItemsOf(s, placed);
        Assert.Equal(PlacementModel.Needed(s), items.Count);
        Assert.True(PlacementModel.SetOk(s, items), "diskful set breaks a constraint");

        var diskfulNodes = placed.Diskful.Select(r => r.NodeName).ToHashSet();
        var expectedDiskless = s.Request.DisklessOnRemaining
            ? s.Nodes.Where(n => n.Online && !n.Evacuating && !diskfulNodes.Contains(n.Name) && !PlacementModel.HasReplica(s, n)
                    && PlacementModel.NodeListAndNotPlaceWithOk(s, n) && n.Pools.Any(p => p.Kind == ProviderKind.Diskless))
                .Select(n => n.Name).Order(StringComparer.Ordinal).ToList()
            : [];
        Assert.Equal(expectedDiskless, placed.Diskless.Select(r => r.NodeName).Order(StringComparer.Ordinal));
        Assert.All(placed.Diskless, r => Assert.True(r.Diskless && r.Kind == ProviderKind.Diskless));
    });

    /// <summary>(2) Never two replicas on one node, never on a node that already has one.</summary>
    [Property(MaxTest = 200)]
    public Property Never_two_replicas_on_one_node() => Prop.ForAll(Scenarios(12), s =>
    {
        if (Run(s) is not PlacementOutcome.Placed placed)
            return;
        var all = placed.Diskful.Concat(placed.Diskless).Select(r => r.NodeName.ToUpperInvariant()).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.DoesNotContain(all, n => s.Existing.Any(e => e.NodeName.Equals(n, StringComparison.OrdinalIgnoreCase)));
        Assert.DoesNotContain(all, n => s.Nodes.Single(x => x.Name.Equals(n, StringComparison.OrdinalIgnoreCase)).ResourceKeys.Contains("RES1"));
    });

    /// <summary>(3) No valid placement scores higher (brute force with the model's own scoring), and the reported score is the model's.</summary>
    [Property(MaxTest = 200)]
    public Property Placement_is_optimal() => Prop.ForAll(Scenarios(8, pairwise: true), s =>
    {
        if (Run(s) is not PlacementOutcome.Placed placed)
            return;
        var scores = PlacementModel.Scores(s);
        var items = ItemsOf(s, placed);
        Assert.All(items, i => Assert.True(scores.ContainsKey(i), $"{i.Node.Name}/{i.Pool.PoolName} is not a valid candidate"));
        var mine = items.Sum(i => scores[i]);
        Assert.Equal(mine, placed.Score, Tolerance);
        var best = PlacementModel.BruteForceBest(s, scores, PlacementModel.Needed(s));
        Assert.NotNull(best);
        Assert.True(mine >= best.Value - Tolerance, $"placed score {mine} < brute-force best {best}");
    });

    /// <summary>(4) NotPlaced only when brute force finds no valid placement either; NothingToDo only when nothing is needed.</summary>
    [Property(MaxTest = 200)]
    public Property Not_placed_only_when_nothing_valid_exists() => Prop.ForAll(Scenarios(8), s =>
    {
        var outcome = Run(s);
        int needed = PlacementModel.Needed(s);
        if (needed <= 0)
        {
            Assert.IsType<PlacementOutcome.NothingToDo>(outcome);
            return;
        }

        var best = PlacementModel.BruteForceBest(s, PlacementModel.Scores(s), needed);
        if (outcome is PlacementOutcome.NotPlaced np)
        {
            Assert.Null(best);
            Assert.Contains("res1", np.Message);
            Assert.False(string.IsNullOrWhiteSpace(np.Cause));
            Assert.False(string.IsNullOrWhiteSpace(np.Correction));
        }
        else
        {
            Assert.IsType<PlacementOutcome.Placed>(outcome);
            Assert.NotNull(best);
        }
    });

    /// <summary>Same inputs, in any order, give the same output.</summary>
    [Property(MaxTest = 100)]
    public Property Deterministic_regardless_of_node_order() => Prop.ForAll(Scenarios(10), s =>
    {
        var a = Run(s);
        var b = Run(s with { Nodes = s.Nodes.Reverse() });
        switch (a)
        {
            case PlacementOutcome.Placed pa:
                var pb = Assert.IsType<PlacementOutcome.Placed>(b);
                Assert.Equal(pa.Diskful, pb.Diskful);
                Assert.Equal(pa.Diskless, pb.Diskless);
                Assert.Equal(pa.Score, pb.Score, Tolerance);
                break;
            case PlacementOutcome.NotPlaced na:
                var nb = Assert.IsType<PlacementOutcome.NotPlaced>(b);
                Assert.Equal(na.Message, nb.Message);
                Assert.Equal(na.Exclusions, nb.Exclusions);
                break;
            default:
                Assert.Equal(a, b);
                break;
        }
    });
}
