using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using Fabric.Core.Serialization;
using Xunit;

namespace Fabric.Core.Tests.Serialization;

/// <summary>An actor ref serialized in one remoting actor system resolves, and delivers, in another.</summary>
public class HyperionRemoteActorRefTests : TestKit
{
    private static readonly Config Remote = ConfigurationFactory.ParseString("""
        akka.actor.provider = remote
        akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
        """).WithFallback(SerializationConfig.Hocon);

    public HyperionRemoteActorRefTests() : base(Remote, "sys-a")
    {
    }

    [Fact]
    public async Task Actor_ref_crosses_to_another_system_and_messages_come_back()
    {
        var other = ActorSystem.Create("sys-b", Remote);
        try
        {
            var serializer = Sys.Serialization.FindSerializerFor(new WirePing("x", TestActor));
            var bytes = serializer.ToBinary(new WirePing("from a", TestActor));

            var inB = (WirePing)other.Serialization.Deserialize(bytes, HyperionWireSerializer.Id, manifest: "");

            Assert.Equal(TestActor.Path.ToStringWithAddress(((ExtendedActorSystem)Sys).Provider.DefaultAddress),
                inB.ReplyTo.Path.ToString());
            Assert.IsNotType<LocalActorRef>(inB.ReplyTo);

            // Travels over remoting, so the WirePing itself is serialized with Hyperion too.
            inB.ReplyTo.Tell(new WirePing("reply from b", ActorRefs.Nobody));
            var reply = ExpectMsg<WirePing>(TimeSpan.FromSeconds(10));
            Assert.Equal("reply from b", reply.Text);
        }
        finally
        {
            await other.Terminate();
        }
    }
}
