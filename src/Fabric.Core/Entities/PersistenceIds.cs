namespace Fabric.Core.Entities;

/// <summary>Persistence ids are "kind|key"; the read model routes events by them.</summary>
public static class PersistenceIds
{
    public const char Separator = '|';


    public static string Of(string kind, string key) => kind + Separator + key;

    public static (string Kind, string Key) Parse(string persistenceId)
    {
        var at = persistenceId.IndexOf(Separator, StringComparison.Ordinal);
        return at < 0 ? (persistenceId, string.Empty) : (persistenceId[..at], persistenceId[(at + 1)..]);
    }
}
