using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace CatSyphon.LoadTest;

internal sealed record LoadSession(string Id, AuthenticationHeaderValue Key);

internal static class Setup
{
    public static async Task<Guid> CreateWorkspaceAsync(HttpClient http, AuthenticationHeaderValue admin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/workspaces")
        {
            Content = JsonContent.Create(new { name = "Load test", slug = $"load-{Guid.NewGuid():N}"[..20] }),
        };
        request.Headers.Authorization = admin;
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public static async Task<List<AuthenticationHeaderValue>> RegisterCollectorsAsync(HttpClient http, AuthenticationHeaderValue admin, Guid workspaceId, int count)
    {
        var keys = new List<AuthenticationHeaderValue>();
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/collectors")
            {
                Content = JsonContent.Create(new { collector_type = "load-test", collector_version = "1.0.0", hostname = $"load-{i}", workspace_id = workspaceId }),
            };
            request.Headers.Authorization = admin;
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            keys.Add(new AuthenticationHeaderValue("Bearer", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("api_key").GetString()));
        }

        return keys;
    }
}
