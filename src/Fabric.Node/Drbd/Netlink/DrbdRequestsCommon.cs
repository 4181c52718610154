using Fabric.Node.Drbd.Kernel;
using static Fabric.Node.Drbd.Netlink.DrbdPayload;

namespace Fabric.Node.Drbd.Netlink;

/// <summary>Requests whose payload is the same in 8.4 (API 1) and DRBD 9 (API 2). Pure.</summary>
public static class DrbdRequestsCommon
{
    /// <summary>
    /// The net_conf fields 8.4 and DRBD 9 share (same ids), in id order: DRBD 9 appends the
    /// connection name (id 31), which 8.4 does not have.
    /// </summary>
    public static NetlinkAttributeWriter NetOptionFields(DrbdNetOptions options) => new NetlinkAttributeWriter()
        .StringIf(DrbdField.NetSharedSecret, options.SharedSecret, DrbdField.SharedSecretMax, "shared secret")
        .StringIf(DrbdField.NetCramHmacAlg, options.CramHmacAlg, DrbdField.SharedSecretMax, "cram-hmac-alg")
        .StringIf(DrbdField.NetVerifyAlg, options.VerifyAlg, DrbdField.SharedSecretMax, "verify-alg")
        .U32If(DrbdField.NetWireProtocol, WireProtocol(options.Protocol), "protocol")
        .U32If(DrbdField.NetConnectInt, (uint?)options.Timeouts?.ConnectIntS, "connect-int")
        .U32If(DrbdField.NetTimeout, (uint?)options.Timeouts?.TimeoutDs, "timeout")
        .U32If(DrbdField.NetPingInt, (uint?)options.Timeouts?.PingIntS, "ping-int")
        .U32If(DrbdField.NetPingTimeout, (uint?)options.Timeouts?.PingTimeoutDs, "ping-timeout")
        .U32If(DrbdField.NetKoCount, (uint?)options.Timeouts?.KoCount, "ko-count")
        .FlagIf(DrbdField.NetTwoPrimaries, options.AllowTwoPrimaries);

    /// <param name="sizeKiB">Sent as resize_size in 512-byte sectors; null lets DRBD use the backing device's size.</param>
    public static DrbdRequest Resize(int minor, long? sizeKiB, bool assumeClean)
    {
        if (sizeKiB is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sizeKiB), sizeKiB, "A DRBD device size cannot be negative.");
        }
        return DrbdRequestsV2.Build("resize", MinorSubject(minor), DrbdCommands.Resize, Minor(minor), w => w
            .OptionalStruct(DrbdTla.ResizeParms, d =>
            {
                if (sizeKiB is { } kib)
                {
                    d.PutU64(DrbdField.ResizeSize, (ulong)kib * 2);
                }
                d.FlagIf(DrbdField.ResizeNoResync, assumeClean ? true : null);
            }));
    }

    public static DrbdRequest NewCurrentUuid(int minor, bool clearBitmap) =>
        DrbdRequestsV2.Build("new-current-uuid", MinorSubject(minor), DrbdCommands.NewCurrentUuid, Minor(minor), w => w
            .OptionalStruct(DrbdTla.NewCurrentUuidParms, d => d.FlagIf(DrbdField.NewCurrentUuidClearBitmap, clearBitmap ? true : null)));

    public static DrbdRequest ResumeIo(int minor) =>
        DrbdRequestsV2.Build("resume-io", MinorSubject(minor), DrbdCommands.ResumeIo, Minor(minor), _ => { });

    public static DrbdRequest DeleteMinor(int minor) => DrbdRequestsV2.DeleteMinor(minor);

    public static DrbdRequest DeleteResource(string resource) => DrbdRequestsV2.DeleteResource(resource);

    /// <summary>drbdsetup down: the kernel demotes, disconnects, detaches and deletes everything of the resource (any API version).</summary>
    public static DrbdRequest Down(string resource) =>
        DrbdRequestsV2.Build("down", ResourceSubject(resource), DrbdCommands.Down, DrbdCommands.NoMinor, w => w.Context(resource));

    /// <summary>The initial-state dump (NLM_F_DUMP) that precedes following the event stream.</summary>
    public static DrbdRequest GetInitialState() =>
        new("get-initial-state", "all resources", DrbdCommands.GetInitialState, DrbdCommands.NoMinor, [], IsDump: true);
}
