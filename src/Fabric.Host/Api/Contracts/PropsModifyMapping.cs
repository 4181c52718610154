using Fabric.Core.Properties;

namespace Fabric.Host.Api.Contracts;

/// <summary>Maps the REST property-modification fields to the domain's <see cref="PropsChange"/>.</summary>
public static class PropsModifyMapping
{
    /// <summary>Absent fields become empty parts of the change.</summary>
    public static PropsChange ToPropsChange(this IPropsModify modify)
    {
        ArgumentNullException.ThrowIfNull(modify);
        return PropsChange.Of(modify.OverrideProps, modify.DeleteProps, modify.DeleteNamespaces);
    }
}
