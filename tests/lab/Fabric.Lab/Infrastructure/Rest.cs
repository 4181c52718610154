using System.Net;
using System.Text;
using System.Text.Json;

namespace Fabric.Lab.Infrastructure;

/// <summary>LINSTOR REST calls against the lab's controller; every write must answer with the expected status and no error entry.</summary>
public sealed class Rest(HttpClient http)
{
    public async Task<JsonElement> GetAsync(string path)
    {
        using var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new LabFailure($"GET {path}: {(int)response.StatusCode} {body}");
        }
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async Task<string> GetTextAsync(string path)
    {
        using var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new LabFailure($"GET {path}: {(int)response.StatusCode} {body}");
        }
        return body;
    }

    public Task<JsonElement> PostAsync(string path, string json, HttpStatusCode expect = HttpStatusCode.Created) => SendAsync(HttpMethod.Post, path, json, expect);

    public Task<JsonElement> PutAsync(string path, string json) => SendAsync(HttpMethod.Put, path, json, HttpStatusCode.OK);

    public Task<JsonElement> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path, null, HttpStatusCode.OK);

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, string? json, HttpStatusCode expect)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var parsed = string.IsNullOrWhiteSpace(body) ? default : JsonDocument.Parse(body).RootElement.Clone();
        var failed = parsed.ValueKind == JsonValueKind.Array && parsed.EnumerateArray().Any(e =>
            e.TryGetProperty("ret_code", out var rc) && rc.GetInt64() < 0);
        if (response.StatusCode != expect || failed)
        {
            throw new LabFailure($"{method} {path} {json}: expected {(int)expect}, got {(int)response.StatusCode} {body}");
        }
        return parsed;
    }

    /// <summary>connection_status of every node.</summary>
    public async Task<Dictionary<string, string>> NodeStatusesAsync() =>
        (await GetAsync("/v1/nodes")).EnumerateArray().ToDictionary(
            n => n.GetProperty("name").GetString()!,
            n => n.TryGetProperty("connection_status", out var s) ? s.GetString() ?? string.Empty : string.Empty,
            StringComparer.Ordinal);

    /// <summary>One volume of a replica as GET .../resources/{node}/volumes lists it, or null.</summary>
    public async Task<JsonElement?> VolumeAsync(string rd, string node, int volume = 0)
    {
        using var response = await http.GetAsync($"/v1/resource-definitions/{rd}/resources/{node}/volumes");
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return null;
        }
        var list = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        foreach (var v in list.EnumerateArray())
        {
            if (v.GetProperty("volume_number").GetInt32() == volume)
            {
                return v;
            }
        }
        return null;
    }

    public static string? DiskState(JsonElement? volume) =>
        volume is { } v && v.TryGetProperty("state", out var state) && state.TryGetProperty("disk_state", out var ds) ? ds.GetString() : null;

    public static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static long? Long(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;
}
