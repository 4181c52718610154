using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using Fabric.Core.Protocol;
using Fabric.Core.Serialization;

namespace Fabric.Core.Tests.Protocol;

/// <summary>The status actor's requests for full observation sets (the mediator needs the cluster provider; no cluster is joined).</summary>
public sealed class NodeStatusActorTests() : TestKit(ConfigurationFactory.ParseString("""
    akka.actor.provider = cluster
    akka.remote.dot-netty.tcp.hostname = 127.0.0.1
    akka.remote.dot-netty.tcp.port = 0
    """).WithFallback(SerializationConfig.Hocon))
{
    [Fact]
    public void A_gap_found_within_a_second_of_the_last_request_is_asked_for_again_when_that_second_is_over()
    {
        var board = new NodeStatusBoard();
        var now = 1_000_000L;
        var status = Sys.ActorOf(NodeStatusActor.PropsFor(board, TimeSpan.FromMinutes(10), () => Interlocked.Read(ref now)));
        var agent = CreateTestProbe();
        var incarnation = Guid.NewGuid();

        // A new incarnation: its observations are asked for at once.
        status.Tell(new NodeAgentReport("alpha", incarnation, 1, 0, [], ["STORAGE"], ["FILE_THIN"], false, 0, agent.Ref));
        agent.ExpectMsg<ObservationsRequest>(r => Assert.Equal("alpha", r.NodeName));

        // Within the same second (controller clock unchanged): a delta that does not fit, and a report
        // saying the agent is at version 2. Both find the gap while the last request is too recent.
        status.Tell(new NodeObservations("alpha", incarnation, 2, 1, false, [], [], []));
        status.Tell(new NodeAgentReport("alpha", incarnation, 2, 0, [], ["STORAGE"], ["FILE_THIN"], true, 2, agent.Ref));
        AwaitCondition(() => board.Get("alpha")?.Sequence == 2);
        Assert.True(board.Get("alpha")!.MissesObservations);

        // The second passes; nothing else arrives: the deferred request goes out on its own.
        Interlocked.Add(ref now, 1_000);
        agent.ExpectMsg<ObservationsRequest>(r => Assert.Equal("alpha", r.NodeName), TimeSpan.FromSeconds(15));
    }
}
