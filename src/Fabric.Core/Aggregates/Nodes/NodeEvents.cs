using System.Collections.Immutable;
using Fabric.Core.Properties;
using Fabric.Core.Serialization;

namespace Fabric.Core.Aggregates.Nodes;

public interface INodeEvent : IDurable;

[Durable("node-created.v1")]
public sealed record NodeCreated(string Name, NodeType Type, Guid Uuid, long CreatedAtMs, ImmutableSortedDictionary<string, string> Props) : INodeEvent;

[Durable("node-type-changed.v1")]
public sealed record NodeTypeChanged(NodeType Type) : INodeEvent;

[Durable("node-props-changed.v1")]
public sealed record NodePropsChanged(PropsChange Change) : INodeEvent;

[Durable("node-deleted.v1")]
public sealed record NodeDeleted(bool Lost) : INodeEvent;

[Durable("net-interface-created.v1")]
public sealed record NetInterfaceCreated(NetInterface NetInterface) : INodeEvent;

[Durable("net-interface-modified.v1")]
public sealed record NetInterfaceModified(NetInterface NetInterface) : INodeEvent;

[Durable("net-interface-deleted.v1")]
public sealed record NetInterfaceDeleted(string Name) : INodeEvent;

[Durable("storage-pool-created.v1")]
public sealed record StoragePoolCreated(StoragePool Pool) : INodeEvent;

[Durable("storage-pool-props-changed.v1")]
public sealed record StoragePoolPropsChanged(string Name, PropsChange Change) : INodeEvent;

[Durable("storage-pool-deleted.v1")]
public sealed record StoragePoolDeleted(string Name) : INodeEvent;
