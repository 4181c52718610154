using System.Collections.Immutable;
using Fabric.Core.Properties;
using Fabric.Core.Serialization;

namespace Fabric.Core.Aggregates.Nodes;

/// <summary>Net interface fields as a client gives them (strings unparsed: the decider validates).</summary>
public sealed record NetInterfaceSpec(string? Name, string? Address, int? SatellitePort, string? EncryptionType, bool? IsActive);

public interface INodeCommand : IWireMessage;

public sealed record CreateNode(string Name, string? Type, ImmutableSortedDictionary<string, string> Props, ImmutableList<NetInterfaceSpec> NetInterfaces) : INodeCommand;

public sealed record ModifyNode(string? Type, PropsChange Props) : INodeCommand;

public sealed record DeleteNode : INodeCommand;

/// <summary>LINSTOR's "node lost": remove an unrecoverable node with everything on it.</summary>
public sealed record LoseNode : INodeCommand;

public sealed record CreateNetInterface(NetInterfaceSpec NetInterface) : INodeCommand;

public sealed record ModifyNetInterface(string Name, NetInterfaceSpec NetInterface) : INodeCommand;

public sealed record DeleteNetInterface(string Name) : INodeCommand;

public sealed record CreateStoragePool(
    string Name,
    string? ProviderKind,
    ImmutableSortedDictionary<string, string> Props,
    string? SharedSpace,
    bool ExternalLocking) : INodeCommand;

public sealed record ModifyStoragePool(string Name, PropsChange Props) : INodeCommand;

public sealed record DeleteStoragePool(string Name) : INodeCommand;
