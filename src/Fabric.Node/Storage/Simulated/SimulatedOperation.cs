namespace Fabric.Node.Storage.Simulated;

/// <summary>The provider operations failures and hangs can be injected into; the lower-case names are the ones <c>Fabric/Simulate/Fail</c> accepts.</summary>
public enum SimulatedOperation
{
    Inspect,
    List,
    Create,
    Resize,
    Delete,
    Activate,
}
