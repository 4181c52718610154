using System.Collections.Immutable;
using Fabric.Core.Api;
using Fabric.Core.Serialization;

namespace Fabric.Core.Entities;

/// <summary>A command addressed to one sharded entity, by its key (the upper-case name).</summary>
public sealed record EntityEnvelope(string EntityId, object Command) : IWireMessage;

/// <summary>
/// The entity's answer. Accepted means the events are in the journal. The state after them comes
/// along so the caller's read model shows the change at once (read-your-writes).
/// </summary>
public sealed record CommandReply(
    bool Accepted,
    ImmutableList<ApiCallRc> Messages,
    string PersistenceId,
    long SequenceNr,
    object? State) : IWireMessage;
