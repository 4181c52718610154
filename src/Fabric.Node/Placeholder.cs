namespace Fabric.Node; internal static class Placeholder { }
