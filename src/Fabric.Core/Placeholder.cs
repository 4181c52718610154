namespace Fabric.Core; internal static class Placeholder { }
