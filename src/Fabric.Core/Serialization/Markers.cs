namespace Fabric.Core.Serialization;

/// <summary>
/// A type stored durably (journal events, snapshots). It is serialized as System.Text.Json under the
/// stable manifest given by <see cref="DurableAttribute"/>, never under its CLR name, so a rename
/// of the type, its namespace or its assembly never breaks the journal.
/// </summary>
public interface IDurable;

/// <summary>Names the stable manifest of an <see cref="IDurable"/> type, e.g. "node-created.v1".</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class DurableAttribute(string manifest) : Attribute
{
    public string Manifest { get; } = manifest;
}

/// <summary>A transient message that crosses the wire between cluster members; serialized with Hyperion.</summary>
public interface IWireMessage;
