namespace Fabric.Bench.Cli;

/// <summary>The system under test answered wrongly (not a harness bug): the run is invalid.</summary>
public sealed class BenchFailedException(string message) : Exception(message);
