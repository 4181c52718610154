using Fabric.Lab.Infrastructure;

namespace Fabric.Lab.Scenarios;

/// <summary>One lab scenario: it passes by returning, fails by throwing (the message says what was expected and found).</summary>
public interface ILabScenario
{
    /// <summary>A short name for the result line and for --only.</summary>
    string Name { get; }

    /// <summary>How many satellite guests (lab-a, lab-b, …) the scenario runs on; 0 for the host alone.</summary>
    int Guests { get; }

    Task RunAsync(LabSession session);
}
