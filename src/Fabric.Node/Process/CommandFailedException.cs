namespace Fabric.Node.Process;

/// <summary>Temporary: replaced by the command runner's own definition.</summary>
public class CommandFailedException(string message) : Exception(message);
