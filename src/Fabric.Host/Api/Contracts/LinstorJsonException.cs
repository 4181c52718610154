using System.Text.Json;

namespace Fabric.Host.Api.Contracts;

/// <summary>
/// A request-body error raised by the LINSTOR converters. Its message already describes the problem
/// (System.Text.Json adds the path) and <see cref="Expected"/> says what would have been accepted;
/// <see cref="ApiCallRcHttp.ParseError"/> uses both.
/// </summary>
internal sealed class LinstorJsonException : JsonException
{
    public LinstorJsonException(string message, string expected)
        : base(message)
    {
        Expected = expected;
    }

    public LinstorJsonException(string message, string expected, string path)
        : base(message, path, 0, 0)
    {
        Expected = expected;
    }

    /// <summary>What would have been accepted, e.g. "a boolean (true or false)".</summary>
    public string Expected { get; }
}
