namespace Fabric.Core.Aggregates.Nodes;

/// <summary>LINSTOR's node types; output as upper-case names (SATELLITE), input accepted in any case.</summary>
public enum NodeType
{
    Controller = 1,
    Satellite = 2,
    Combined = 3,
    Auxiliary = 4,
}

public static class NodeTypes
{
    public static string ToApi(this NodeType type) => type.ToString().ToUpperInvariant();

    public static NodeType? Parse(string? text) =>
        text?.Trim().ToUpperInvariant() switch
        {
            "CONTROLLER" => NodeType.Controller,
            "SATELLITE" => NodeType.Satellite,
            "COMBINED" => NodeType.Combined,
            "AUXILIARY" => NodeType.Auxiliary,
            _ => null,
        };

    /// <summary>Only satellites and combined nodes hold storage.</summary>
    public static bool HoldsStorage(this NodeType type) => type is NodeType.Satellite or NodeType.Combined;

    public const string Accepted = "CONTROLLER, SATELLITE, COMBINED, AUXILIARY";
}
