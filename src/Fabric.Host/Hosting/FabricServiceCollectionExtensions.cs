using Akka.Configuration;
using Fabric.Core.Runtime;

namespace Fabric.Host.Hosting;

public static class FabricServiceCollectionExtensions
{
    /// <summary>
    /// Adds a Fabric member to any .NET host: the controller role, the satellite role or both, as
    /// <paramref name="settings"/> says. Another process can embed Fabric this way.
    /// </summary>
    public static IServiceCollection AddFabric(this IServiceCollection services, FabricSettings settings, Config? akkaOverrides = null)
    {
        services.AddSingleton(settings);
        services.AddSingleton(sp => new FabricHostedService(settings, akkaOverrides ?? Config.Empty, sp.GetRequiredService<ILogger<FabricHostedService>>(), sp.GetService<IHostApplicationLifetime>()));
        services.AddHostedService(sp => sp.GetRequiredService<FabricHostedService>());
        return services;
    }

    public static IServiceCollection AddFabricController(this IServiceCollection services, FabricSettings settings, Config? akkaOverrides = null) =>
        services.AddFabric(settings with { Roles = [FabricSettings.Controller] }, akkaOverrides);

    public static IServiceCollection AddFabricNode(this IServiceCollection services, FabricSettings settings, Config? akkaOverrides = null) =>
        services.AddFabric(settings with { Roles = [FabricSettings.Satellite] }, akkaOverrides);
}
