using Fabric.Node.Drbd.Kernel;

namespace Fabric.Node.Drbd.Netlink;

/// <summary>Builds the <see cref="DrbdKernelException"/>s of the netlink driver: refusals, netlink errors, a missing module.</summary>
public static class DrbdKernelErrors
{
    public const int Etimedout = 110;

    /// <summary>The driver answered with a failing ret_code.</summary>
    public static DrbdKernelException Refused(DrbdRequest request, DrbdReply reply) =>
        new(request.Operation, request.Subject, reply.RetCode, DrbdCodeNames.Describe(reply.RetCode), reply.Info);

    /// <summary>The netlink layer answered with an errno instead of a DRBD reply.</summary>
    public static DrbdKernelException Netlink(DrbdRequest request, NetlinkErrorException error)
    {
        var hint = error.ErrorNumber switch
        {
            Errno.Einval => "the driver rejected the request before handling it; a genl API version mismatch between agent and module is the usual cause",
            Errno.Eperm => "the agent needs CAP_NET_ADMIN (run it as root)",
            _ => null,
        };
        var text = string.Join("; ", new[] { error.KernelMessage, hint }.Where(t => !string.IsNullOrWhiteSpace(t)));
        return new DrbdKernelException(request.Operation, request.Subject, 0, Errno.Describe(error.ErrorNumber), text.Length == 0 ? null : text, error.ErrorNumber);
    }

    public static DrbdKernelException Timeout(DrbdRequest request, TimeoutException timeout) =>
        new(request.Operation, request.Subject, 0, "ETIMEDOUT (no reply from the DRBD driver)", timeout.Message, Etimedout);

    /// <summary>No generic-netlink family "drbd" exists: the module is not loaded (or not visible from this network namespace).</summary>
    public static DrbdKernelException ModuleNotLoaded() => new(
        "open", "the DRBD kernel module", 0, "ENOENT (the DRBD kernel module is not loaded)",
        "no generic-netlink family 'drbd' is registered; load the driver with 'modprobe drbd' (DRBD 9 from LINBIT's packages, or the distribution's in-tree 8.4 driver) and start the agent again. "
        + "DRBD before 9.2.10 is also invisible from a network namespace other than the host's: run the agent with host networking",
        Errno.Enoent);

    public static DrbdKernelException UnsupportedFamily(GenericNetlinkFamily family, string problem) => new(
        "open", $"generic-netlink family 'drbd' (id {family.Id}, version {family.Version}, header size {family.HeaderSize})", 0,
        $"unsupported DRBD netlink API ({problem})",
        "this agent speaks genl API 1 (DRBD 8.4) and API 2 (DRBD 9) with an 8-byte drbd_genlmsghdr; install a DRBD 8.4 or 9.x module");

    /// <summary>The driver's state does not contain an object an 8.4 mapping needs.</summary>
    public static DrbdKernelException NotInState(string operation, string subject, int retCode, string what) =>
        new(operation, subject, retCode, DrbdCodeNames.Describe(retCode), what);
}
