using Fabric.Lab.Infrastructure;

namespace Fabric.Lab.Scenarios;

/// <summary>One lab scenario: it passes by returning, fails by throwing (the message says what was expected and found).</summary>
public interface ILabScenario
{
    /// <summary>A short name for the result line and for --only.</summary>
    string Name { get; }

    Task RunAsync(LabSession session);
}
