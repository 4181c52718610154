using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Fabric.Core.Aggregates;
using Fabric.Core.Aggregates.Nodes;
using Fabric.Core.Properties;

namespace Fabric.Bench.Micro;

/// <summary>The pure core of a node command: Decide, then Apply of every accepted event.</summary>
[MemoryDiagnoser]
public class NodeAggregateBenchmarks
{
    private static readonly NodeAggregate Aggregate = NodeAggregate.Instance;
    private readonly DecideContext _context = new(1_700_000_000_000, Guid.Parse("6f1c1d7e-2a51-4f43-9c1b-0d8f1e0b9a11"));
    private CreateNode _create = null!;
    private NodeState _existing = null!;
    private ModifyNode _modify = null!;

    [Params(0, 50)]
    public int ExistingProps { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _create = new CreateNode("bench-node", "satellite", Props.Empty, ImmutableList.Create(new NetInterfaceSpec("default", "10.0.0.1", null, null, null)));
        _existing = DecideApply(Aggregate.Initial("BENCH-NODE"), _create);
        var props = Enumerable.Range(0, ExistingProps).ToDictionary(i => $"Aux/p{i:D3}", i => $"value-{i}");
        if (props.Count > 0)
        {
            _existing = DecideApply(_existing, new ModifyNode(null, PropsChange.Of(props)));
        }
        _modify = new ModifyNode(null, PropsChange.Of(new Dictionary<string, string> { ["Aux/k"] = "42" }));
    }

    [Benchmark(Description = "CreateNode: Decide + Apply (3 events)")]
    public NodeState Create() => DecideApply(Aggregate.Initial("BENCH-NODE"), _create);

    [Benchmark(Description = "ModifyNode props: Decide + Apply (1 event)")]
    public NodeState Modify() => DecideApply(_existing, _modify);

    [Benchmark(Description = "CreateNode on existing: Decide (rejected)")]
    public object CreateRejected() => Aggregate.Decide(_existing, _create, _context);

    private NodeState DecideApply(NodeState state, INodeCommand command)
    {
        if (Aggregate.Decide(state, command, _context) is not Decision<INodeEvent>.Accepted accepted)
        {
            throw new InvalidOperationException($"{command.GetType().Name} was rejected.");
        }
        foreach (var e in accepted.Events)
        {
            state = Aggregate.Apply(state, e);
        }
        return state;
    }
}
