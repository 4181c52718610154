using System.Net;
using System.Text.Json;
using Fabric.Core.Api;

namespace Fabric.Host.Tests.Infrastructure;

/// <summary>Reads an ApiCallRc list response and asserts on it the way LINSTOR's clients read it.</summary>
public sealed record Rc(HttpStatusCode Status, JsonElement[] Entries, string Body)
{
    public static async Task<Rc> ReadAsync(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        var body = await response.Content.ReadAsStringAsync();
        var root = JsonDocument.Parse(body).RootElement;
        Assert.True(root.ValueKind == JsonValueKind.Array, $"Expected an ApiCallRc list, got: {body}");
        return new Rc(response.StatusCode, root.EnumerateArray().Select(e => e.Clone()).ToArray(), body);
    }

    public long RetCode(int index = 0) => Entries[index].GetProperty("ret_code").GetInt64();

    public bool HasError => Entries.Any(e => ApiConsts.IsError(e.GetProperty("ret_code").GetInt64()));

    /// <summary>The first error entry has the given code (ret_code &amp; 0x7FFF) and says message, cause and correction.</summary>
    public Rc AssertError(long code, HttpStatusCode status)
    {
        Assert.True(Status == status, $"Expected HTTP {status}, got {Status}: {Body}");
        var error = Entries.FirstOrDefault(e => ApiConsts.IsError(e.GetProperty("ret_code").GetInt64()));
        Assert.True(error.ValueKind == JsonValueKind.Object, $"No error entry in: {Body}");
        Assert.Equal(code, ApiConsts.CodeOf(error.GetProperty("ret_code").GetInt64()));
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.True(error.TryGetProperty("cause", out _), $"No cause in: {Body}");
        Assert.True(error.TryGetProperty("correction", out _), $"No correction in: {Body}");
        return this;
    }

    public Rc AssertSuccess(HttpStatusCode status)
    {
        Assert.True(Status == status && !HasError, $"Expected success {status}, got {Status}: {Body}");
        return this;
    }
}
