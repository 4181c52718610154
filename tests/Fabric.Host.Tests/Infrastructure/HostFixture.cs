namespace Fabric.Host.Tests.Infrastructure;

/// <summary>One real host shared by the tests of a class; each test uses its own object names.</summary>
public sealed class HostFixture : IAsyncLifetime
{
    public RunningHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await RunningHost.StartAsync(RunningHost.NewSettings());

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
