using Fabric.Node.Drbd.Kernel;

namespace Fabric.Node.Drbd.Netlink;

/// <summary>
/// One decoded message of the DRBD event stream, with what the event protocol needs: its
/// <c>nlmsg_seq</c>, whether it belongs to an initial-state dump (NOTIFY_EXISTS, or the
/// INITIAL_STATE_DONE marker), whether more messages of the same atomic change follow
/// (NOTIFY_CONTINUES), and whether it takes part in the live sequence numbering (8.4's old
/// DRBD_EVENT broadcasts use a counter of their own and do not).
/// </summary>
public sealed record DrbdEventMessage(
    uint Sequence,
    byte Command,
    DrbdNotificationKind? Kind,
    bool Continues,
    bool IsInitialStateDone,
    bool CountsForSequence,
    IReadOnlyList<DrbdNotification> Notifications)
{
    /// <summary>Part of an initial-state dump rather than a live change.</summary>
    public bool IsExists => IsInitialStateDone || Kind == DrbdNotificationKind.Exists;
}

/// <summary>What the 8.4 driver cannot tell: which peer node id and name a connection (known only by its addresses) stands for.</summary>
public interface IDrbdV1PeerDirectory
{
    /// <summary>The peer this node configured for <paramref name="resource"/> (8.4 has one connection per resource), or null.</summary>
    DrbdV1Peer? Find(string resource);
}

/// <summary>A peer as the agent configured it on an 8.4 host.</summary>
/// <param name="Local">The local address of its path, once one was given.</param>
public sealed record DrbdV1Peer(int PeerNodeId, string? ConnectionName, System.Net.IPEndPoint? Local, System.Net.IPEndPoint? Peer);
