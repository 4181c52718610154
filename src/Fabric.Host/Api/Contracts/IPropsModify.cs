namespace Fabric.Host.Api.Contracts;

/// <summary>The three property-modification fields every LINSTOR *Modify request carries.</summary>
public interface IPropsModify
{
    IReadOnlyDictionary<string, string>? OverrideProps { get; }
    IReadOnlyList<string>? DeleteProps { get; }
    IReadOnlyList<string>? DeleteNamespaces { get; }
}
