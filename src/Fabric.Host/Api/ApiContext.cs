using Fabric.Core.Runtime;
using Fabric.Core.Views;
using Fabric.Host.Hosting;

namespace Fabric.Host.Api;

/// <summary>What every endpoint needs: the running system and a current read model, or a 503 if not yet.</summary>
public sealed class ApiContext(FabricHostedService host)
{
    public bool TryGet(out FabricSystem fabric, out ReadModel model)
    {
        var running = host.Fabric;
        if (running is null || !running.Views.CaughtUp)
        {
            fabric = null!;
            model = null!;
            return false;
        }
        fabric = running;
        model = running.Views.Current;
        return true;
    }
}
