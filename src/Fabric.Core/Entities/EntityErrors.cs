using Fabric.Core.Api;

namespace Fabric.Core.Entities;

/// <summary>The answers every entity shell gives when the shell itself, not the decision, fails.</summary>
public static class EntityErrors
{
    public static ApiCallRc DecideFailed(object command, Exception ex) => ApiCallRc.Error(
        0, 0, ApiConsts.FailImplError,
        $"Internal error while handling {command.GetType().Name}.",
        ex.Message,
        "This is a bug in Fabric; please report it with the log.");

    public static ApiCallRc JournalFailed(Exception cause) => ApiCallRc.Error(
        0, 0, ApiConsts.FailSql,
        "The change could not be stored; nothing was changed.",
        cause.Message,
        "Check that the journal database is reachable, then retry.");
}
