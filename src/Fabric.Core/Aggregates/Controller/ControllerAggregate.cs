using System.Collections.Immutable;
using Fabric.Core.Api;
using Fabric.Core.Properties;
using Fabric.Core.Serialization;
using static Fabric.Core.Api.ApiConsts;

namespace Fabric.Core.Aggregates.Controller;

/// <summary>Cluster-wide controller settings: one entity, key <see cref="ControllerAggregate.EntityKey"/>.</summary>
[Durable("controller-state.v1")]
public sealed record ControllerState(ImmutableSortedDictionary<string, string> Props) : IDurable;

public interface IControllerCommand : IWireMessage;

public sealed record ModifyControllerProps(PropsChange Change) : IControllerCommand;

public interface IControllerEvent : IDurable;

[Durable("controller-props-changed.v1")]
public sealed record ControllerPropsChanged(PropsChange Change) : IControllerEvent;

public sealed class ControllerAggregate : IAggregate<ControllerState, IControllerCommand, IControllerEvent>
{
    public const string EntityKey = "CONTROLLER";

    public static readonly ControllerAggregate Instance = new();

    public string Kind => "controller";

    public ControllerState Initial(string entityId) => new(Props.Empty);

    public Decision<IControllerEvent> Decide(ControllerState state, IControllerCommand command, DecideContext context) => command switch
    {
        ModifyControllerProps c => DecideModify(state, c.Change),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "unknown controller command"),
    };

    public ControllerState Apply(ControllerState state, IControllerEvent @event) => @event switch
    {
        ControllerPropsChanged e => state with { Props = Props.Apply(state.Props, e.Change) },
        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event.GetType().Name, "unknown controller event"),
    };

    private static Decision<IControllerEvent> DecideModify(ControllerState state, PropsChange change)
    {
        if (Props.Validate(change) is { } error)
        {
            return Decision<IControllerEvent>.Reject(ApiCallRc.Error(MaskCtrlConf, MaskMod, FailInvldPropKey, "Invalid controller property change.", error, "Use keys of the form 'Namespace/Key'."));
        }
        var messages = new List<ApiCallRc>();
        foreach (var (key, value) in change.Override)
        {
            messages.Add(ApiCallRc.Info(MaskCtrlConf, MaskMod, InfoPropSet, $"Successfully set property '{key}' to value '{value}'"));
        }
        foreach (var key in change.Delete)
        {
            messages.Add(state.Props.ContainsKey(key)
                ? ApiCallRc.Info(MaskCtrlConf, MaskDel, InfoPropRemoved, $"Successfully deleted property '{key}'")
                : ApiCallRc.Warning(MaskCtrlConf, MaskDel, WarnNotFound, $"Property '{key}' not found.", $"The controller has no property '{key}'.", "Nothing to delete."));
        }
        foreach (var ns in change.DeleteNamespaces)
        {
            messages.Add(ApiCallRc.Info(MaskCtrlConf, MaskDel, InfoPropRemoved, $"Successfully deleted namespace '{ns}'"));
        }
        if (messages.Count == 0)
        {
            messages.Add(ApiCallRc.Info(MaskCtrlConf, MaskMod, InfoNoop, "No property change requested."));
        }
        return Props.IsNoop(state.Props, change)
            ? Decision<IControllerEvent>.Nothing([.. messages])
            : Decision<IControllerEvent>.Accept(new ControllerPropsChanged(change), [.. messages]);
    }
}
