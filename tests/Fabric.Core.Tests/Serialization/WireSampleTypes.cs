using System.Collections.Immutable;
using Akka.Actor;
using Fabric.Core.Serialization;

namespace Fabric.Core.Tests.Serialization;

public sealed record WireNested(string Name, ImmutableList<int> Values, WireNested? Inner);

public sealed record WireSample(
    Guid Id,
    DateTimeOffset At,
    long Big,
    string? Missing,
    ImmutableList<string> Items,
    ImmutableSortedDictionary<string, string> Props,
    ImmutableDictionary<string, long> Usage,
    Dictionary<string, int> Counts,
    WireNested Nested,
    WireNested SameNested,
    IActorRef ReplyTo) : IWireMessage;

public sealed record WirePing(string Text, IActorRef ReplyTo) : IWireMessage;
