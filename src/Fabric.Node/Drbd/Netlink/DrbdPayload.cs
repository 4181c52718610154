using System.Globalization;
using System.Net;

namespace Fabric.Node.Drbd.Netlink;

/// <summary>Pieces both API builders share: the config context, subjects for messages, value checks.</summary>
internal static class DrbdPayload
{
    public static NetlinkAttributeWriter Context(this NetlinkAttributeWriter w, string? resource = null, int? peerNodeId = null, int? volume = null, IPEndPoint? myAddr = null, IPEndPoint? peerAddr = null)
    {
        w.BeginNested(DrbdTla.CfgContext);
        if (resource is not null)
        {
            w.PutString(DrbdField.CtxResourceName, resource, DrbdField.ResourceNameMax, "resource name");
        }
        if (peerNodeId is { } peer)
        {
            w.PutU32(DrbdField.CtxPeerNodeId, NodeId(peer, nameof(peerNodeId)));
        }
        if (volume is { } v)
        {
            w.PutU32(DrbdField.CtxVolume, Volume(v));
        }
        if (myAddr is not null)
        {
            w.PutBinary(DrbdField.CtxMyAddr, SocketAddressCodec.Encode(myAddr));
        }
        if (peerAddr is not null)
        {
            w.PutBinary(DrbdField.CtxPeerAddr, SocketAddressCodec.Encode(peerAddr));
        }
        return w.EndNested();
    }

    /// <summary>Writes a nested struct only when <paramref name="fill"/> puts at least one field in it.</summary>
    public static NetlinkAttributeWriter OptionalStruct(this NetlinkAttributeWriter w, ushort tla, Action<NetlinkAttributeWriter> fill)
    {
        var inner = new NetlinkAttributeWriter();
        fill(inner);
        var fields = inner.ToArray();
        if (fields.Length == 0)
        {
            return w;
        }
        return w.BeginNested(tla).AppendEncoded(fields).EndNested();
    }

    public static NetlinkAttributeWriter FlagIf(this NetlinkAttributeWriter w, ushort type, bool? value)
    {
        if (value is { } v)
        {
            w.PutFlag(type, v);
        }
        return w;
    }

    public static NetlinkAttributeWriter U32If(this NetlinkAttributeWriter w, ushort type, long? value, string name)
    {
        if (value is { } v)
        {
            if (v is < 0 or > uint.MaxValue)
            {
                throw new ArgumentOutOfRangeException(name, v, $"The {name} must be between 0 and {uint.MaxValue}.");
            }
            w.PutU32(type, (uint)v);
        }
        return w;
    }

    public static NetlinkAttributeWriter StringIf(this NetlinkAttributeWriter w, ushort type, string? value, int maxLength, string name)
    {
        if (value is not null)
        {
            w.PutString(type, value, maxLength, name);
        }
        return w;
    }

    public static uint WireProtocol(char protocol) => char.ToUpperInvariant(protocol) switch
    {
        'A' => 1,
        'B' => 2,
        'C' => 3,
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "DRBD's wire protocol is 'A', 'B' or 'C'."),
    };

    public static uint Minor(int minor) => minor is >= 0 and <= (1 << 20) - 1
        ? (uint)minor
        : throw new ArgumentOutOfRangeException(nameof(minor), minor, "DRBD minors are 0..1048575.");

    public static uint NodeId(int nodeId, string name) => nodeId is >= 0 and < 32
        ? (uint)nodeId
        : throw new ArgumentOutOfRangeException(name, nodeId, "DRBD node ids are 0..31.");

    public static uint Volume(int volume) => volume is >= 0 and <= 65534
        ? (uint)volume
        : throw new ArgumentOutOfRangeException(nameof(volume), volume, "DRBD volume numbers are 0..65534.");

    public static string ResourceSubject(string resource) => $"resource '{resource}'";

    public static string MinorSubject(int minor) => $"minor {minor.ToString(CultureInfo.InvariantCulture)}";

    public static string PeerSubject(string resource, int peerNodeId) => $"connection '{resource}' to peer node {peerNodeId.ToString(CultureInfo.InvariantCulture)}";

    public static string PeerDeviceSubject(string resource, int peerNodeId, int volume) =>
        $"peer device '{resource}' volume {volume.ToString(CultureInfo.InvariantCulture)} of peer node {peerNodeId.ToString(CultureInfo.InvariantCulture)}";

    public static string PathSubject(string resource, int peerNodeId, IPEndPoint local, IPEndPoint peer) =>
        $"path {local} -> {peer} of '{resource}' to peer node {peerNodeId.ToString(CultureInfo.InvariantCulture)}";
}
