using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace CatSyphon.LoadTest;

/// <summary>
/// Times the query API over HTTP on a workspace that already holds data (e.g. a pushed gen_claude_logs.py tree):
/// a filtered conversation page, every figure of the dashboard and the project page over 90 days (and the project and
/// developer lists), and the other read paths, one request at a time, and prints p50/p95/max per query. The full-text
/// search is timed per query shape (<see cref="SearchText.Shapes"/>) in <c>--search-workspace</c> (by default the same
/// workspace), whose text must be the seed-search mode's for the shapes to be what they say; given only
/// <c>--search-workspace</c>, only the search is timed. Usage: see README ("Performance").
/// </summary>
internal static class QueryBenchmark
{
    public static async Task RunAsync(string[] args)
    {
        var values = new CommandLineValues(args);
        var workspace = Guid.TryParse(values["workspace"], out var parsed) ? parsed : (Guid?)null;
        var searchWorkspace = Guid.TryParse(values["search-workspace"], out var searched) ? searched : workspace;
        if (searchWorkspace is null)
        {
            throw new ArgumentException("Give the workspace to query with --workspace <id>, and/or the one to search with --search-workspace <id>.");
        }

        var iterations = values.Number("iterations", 200);
        using var http = new HttpClient { BaseAddress = new Uri(values.Api) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", values.AdminToken);

        var queries = workspace is { } queried ? await ReadQueriesAsync(http, queried) : [];
        Console.WriteLine($"CatSyphon queries: {iterations} requests per query, one at a time; full-text search in workspace {searchWorkspace}");
        Console.WriteLine($"{"query",-58} {"p50",8} {"p95",8} {"max",8}");
        var search = SearchText.Shapes.Select(shape => ($"full-text search: {shape.Name}", (Func<int, string>)(i =>
            $"/api/conversations?workspace_id={searchWorkspace}&q={Uri.EscapeDataString(shape.Query(i))}&limit=20")));
        await TimeAsync(http, [.. queries, .. search], iterations);
    }

    /// <summary>The read paths other than search, on a workspace that holds a pushed tree.</summary>
    private static async Task<(string Name, Func<int, string> Path)[]> ReadQueriesAsync(HttpClient http, Guid workspace)
    {
        // The 90 days that end with the data's last day, the projects, and a few sessions to open.
        var days = (await http.GetFromJsonAsync<JsonElement>($"/api/stats/tokens?workspace_id={workspace}&group_by=day"))
            .GetProperty("groups").EnumerateArray().Select(g => DateOnly.Parse(g.GetProperty("key").GetString()!, CultureInfo.InvariantCulture)).ToList();
        var to = (days.Count == 0 ? DateOnly.FromDateTime(DateTime.UtcNow) : days.Max()).AddDays(1);
        var range = $"from={to.AddDays(-90):yyyy-MM-dd}T00:00:00Z&to={to:yyyy-MM-dd}T00:00:00Z";
        var projects = (await http.GetFromJsonAsync<JsonElement>($"/api/projects?workspace_id={workspace}"))
            .EnumerateArray().Select(p => p.GetProperty("id").GetGuid()).ToArray();
        var sessions = (await http.GetFromJsonAsync<JsonElement>($"/api/conversations?workspace_id={workspace}&kind=main&limit=50"))
            .GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).ToArray();
        if (projects.Length == 0 || sessions.Length == 0)
        {
            throw new InvalidOperationException("The workspace holds no sessions: push a tree into it first.");
        }

        var secondPage = (await http.GetFromJsonAsync<JsonElement>($"/api/conversations?workspace_id={workspace}&limit=50")).GetProperty("next_cursor").GetString();
        Console.WriteLine($"CatSyphon queries: workspace {workspace}, {projects.Length} projects; 90 days = {range}");
        return
        [
            ("conversations page: project + main + has_plan + 90 days", i => $"/api/conversations?workspace_id={workspace}&project_id={projects[i % projects.Length]}&kind=main&has_plan=true&{range}&limit=50"),
            ("conversations page: all, 2nd page by cursor", _ => $"/api/conversations?workspace_id={workspace}&limit=50&cursor={secondPage}"),
            ("analytics: 90 days by day", _ => $"/api/stats/activity?workspace_id={workspace}&group_by=day&{range}"),
            ("analytics: 90 days by model", _ => $"/api/stats/activity?workspace_id={workspace}&group_by=model&{range}"),
            ("analytics: 90 days by project", _ => $"/api/stats/activity?workspace_id={workspace}&group_by=project&{range}"),
            ("analytics: 90 days by developer", _ => $"/api/stats/activity?workspace_id={workspace}&group_by=developer&{range}"),
            ("analytics: 90 days, one project, by day", i => $"/api/stats/activity?workspace_id={workspace}&group_by=day&project_id={projects[i % projects.Length]}&{range}"),
            ("tokens + cost: 90 days by project", _ => $"/api/stats/tokens?workspace_id={workspace}&group_by=project&{range}"),
            ("tool usage: 90 days", _ => $"/api/stats/tools?workspace_id={workspace}&{range}"),
            ("tool usage: 90 days, one project", i => $"/api/stats/tools?workspace_id={workspace}&project_id={projects[i % projects.Length]}&{range}"),
            ("project files: 90 days, top 50", i => $"/api/projects/{projects[i % projects.Length]}/files?workspace_id={workspace}&{range}&limit=50"),
            ("projects with tokens and cost", _ => $"/api/projects?workspace_id={workspace}"),
            ("developers with tokens and cost", _ => $"/api/developers?workspace_id={workspace}"),
            ("ingestion stats: last 60 minutes", _ => $"/api/ingestion/stats?workspace_id={workspace}&window_minutes=60"),
            ("conversation detail", i => $"/api/conversations/{sessions[i % sessions.Length]}?workspace_id={workspace}"),
            ("transcript: first 100 events", i => $"/api/conversations/{sessions[i % sessions.Length]}/messages?workspace_id={workspace}&limit=100"),
        ];
    }

    /// <summary>Ten warm-up requests, then <paramref name="iterations"/> one at a time, for each query in turn.</summary>
    private static async Task TimeAsync(HttpClient http, (string Name, Func<int, string> Path)[] queries, int iterations)
    {
        foreach (var (name, path) in queries)
        {
            for (var i = 0; i < 10; i++)
            {
                using var warmup = await http.GetAsync(path(i));
                warmup.EnsureSuccessStatusCode();
            }

            var latencies = new LatencyRecorder(iterations);
            for (var i = 0; i < iterations; i++)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync(path(i));
                await response.Content.LoadIntoBufferAsync();
                latencies.Record(Stopwatch.GetElapsedTime(started));
                response.EnsureSuccessStatusCode();
            }

            Console.WriteLine($"{name,-58} {latencies.Percentile(50),6:F1}ms {latencies.Percentile(95),6:F1}ms {latencies.Percentile(100),6:F1}ms");
        }
    }
}
