namespace Fabric.Node.Drbd.Kernel;

/// <summary>
/// The DRBD driver refused a request. <see cref="RetCode"/> is the reply's <c>ret_code</c>:
/// an <c>ERR_*</c> code (&gt; 100) or a negative <c>SS_*</c> state-change refusal; <see cref="Errno"/>
/// is set instead when the netlink layer itself answered with an error. The message names the
/// operation, the object, the code's meaning and the driver's own text.
/// </summary>
public sealed class DrbdKernelException : Exception
{
    public DrbdKernelException(string operation, string subject, int retCode, string codeName, string? infoText, int? errno = null)
        : base(Compose(operation, subject, codeName, infoText))
    {
        Operation = operation;
        Subject = subject;
        RetCode = retCode;
        CodeName = codeName;
        InfoText = infoText;
        Errno = errno;
    }

    public string Operation { get; }

    public string Subject { get; }

    public int RetCode { get; }

    /// <summary>A readable name and meaning, e.g. "SS_NO_QUORUM (no quorum)".</summary>
    public string CodeName { get; }

    /// <summary>The driver's <c>info_text</c> lines, joined; null when it sent none.</summary>
    public string? InfoText { get; }

    public int? Errno { get; }

    /// <summary>The state change is refused for lack of quorum (SS_NO_QUORUM).</summary>
    public bool IsNoQuorum => RetCode == -25;

    /// <summary>Worth retrying at once: SS_IN_TRANSIENT_STATE or SS_CONCURRENT_ST_CHG.</summary>
    public bool IsTransient => RetCode is -18 or -19;

    /// <summary>The object already exists (ERR_ALREADY_EXISTS, ERR_MINOR_OR_VOLUME_EXISTS).</summary>
    public bool IsAlreadyExists => RetCode is 174 or 161;

    private static string Compose(string operation, string subject, string codeName, string? infoText) =>
        $"DRBD {operation} of {subject} failed: {codeName}" + (string.IsNullOrWhiteSpace(infoText) ? string.Empty : $" ({infoText.Trim()})");
}
