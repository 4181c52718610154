namespace Fabric.Node.Drbd.Simulated;

/// <summary>Faults a test (or a simulation) injects: network partitions and power.</summary>
public sealed partial class SimulatedDrbdNetwork
{
    /// <summary>Breaks the network between two nodes (both directions). Connections notice after the loss-detection delay.</summary>
    public void Cut(string a, string b) => ChangeLinks(() => _cuts.Add(LinkKey(a, b)), a, b);

    public void Heal(string a, string b) => ChangeLinks(() => _cuts.Remove(LinkKey(a, b)), a, b);

    /// <summary>Cuts <paramref name="node"/> off from every other node.</summary>
    public void Isolate(string node)
    {
        var others = NodeNames.Where(n => n != node).ToList();
        ChangeLinks(() => others.ForEach(o => _cuts.Add(LinkKey(node, o))), [node, .. others]);
    }

    public void HealAll()
    {
        var all = NodeNames.ToArray();
        ChangeLinks(_cuts.Clear, all);
    }

    public bool LinkUp(string a, string b)
    {
        lock (_gate)
        {
            return LinkUp(Require(a), Require(b));
        }
    }

    /// <summary>Powers a node off: its DRBD objects vanish (meta-data stays), its subscribers see the stream fail, peers notice after the loss-detection delay.</summary>
    public void PowerOff(string name)
    {
        lock (_gate)
        {
            var node = Require(name);
            if (!node.PoweredOn)
            {
                return;
            }
            node.PoweredOn = false;
            var resources = node.Resources.Keys.ToList();
            foreach (var device in node.Resources.Values.SelectMany(r => r.Devices.Values))
            {
                device.Metadata?.AttachedMinor = null;
            }
            node.Resources.Clear();
            node.Views.Clear();
            foreach (var subscription in node.Subscriptions)
            {
                subscription.Fail(SimulatedDrbdErrors.PoweredOff("event stream", name));
                _deliveries.Add(subscription);
            }
            node.Subscriptions.Clear();
            resources.ForEach(Commit);
        }
        Deliver();
    }

    /// <summary>Powers a node on with an empty kernel (as after a reboot before anything was configured).</summary>
    public void PowerOn(string name)
    {
        lock (_gate)
        {
            Require(name).PoweredOn = true;
        }
    }
}
