using System.Text.RegularExpressions;

namespace CatSyphon.IntegrationTests;

/// <summary>
/// The operators' log files of a running stack (issue 14 point 8): after collectors and people used the API, each service
/// has its application and error files, the API its access and collector event files with the expected lines, and no
/// file holds a token, key or password.
/// </summary>
public sealed partial class LogFilesTests : IAsyncLifetime
{
    private readonly string _logs = Path.Combine("/tmp", $"catsyphon-logs-{Guid.NewGuid():N}");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        if (Directory.Exists(_logs))
        {
            Directory.Delete(_logs, recursive: true);
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task Every_service_writes_its_files_with_the_expected_lines_and_no_secret()
    {
        var app = await CatSyphonApp.StartHealthyAsync(serviceSettings: new Dictionary<string, string> { ["Logs__Directory"] = _logs });
        Used used;
        await using (app)
        {
            used = await UseTheApiAsync(app);
        }

        // Stopped: every file is complete.
        var api = Path.Combine(_logs, ResourceNames.Api);
        foreach (var service in new[] { ResourceNames.Api, ResourceNames.Worker, ResourceNames.Web, ResourceNames.Migrations })
        {
            Assert.NotEmpty(Read(Path.Combine(_logs, service), "application"));
            AssertOnlyWarningsAndErrors(Path.Combine(_logs, service));
        }

        var access = Read(api, "api-access");
        var collector = $"collector:{used.CollectorId}";
        Assert.Contains(access, line => AccessLine().Match(line) is { Success: true } match
            && match.Groups["request"].Value == "POST /collectors/events 202" && match.Groups["caller"].Value == collector && match.Groups["address"].Value.Length > 0);
        Assert.Contains(access, line => line.Contains("POST /collectors/events 422 ") && line.Contains(collector));
        Assert.Contains(access, line => line.Contains("POST /api/auth/login 200 ") && line.EndsWith(" anonymous 127.0.0.1"));
        Assert.Contains(access, line => line.Contains("GET /api/me 200 ") && line.Contains($" user:{used.PersonId} "));
        Assert.Contains(access, line => line.Contains($"POST /api/collectors/{used.CollectorId}/rotate-key 200 ") && line.Contains(" admin "));
        Assert.DoesNotContain(access, line => line.Contains('?') || line.Contains("/health") || line.Contains("/ready"));

        // Collector events quote every value but numbers, as JSON does.
        var events = string.Join("\n", Read(api, "collector-events"));
        var id = $"\"{used.CollectorId}\"";
        var session = $"\"{used.SessionId}\"";
        Assert.Matches($"registered collector {id} workspace \"[0-9a-f-]+\" by \"enrollment:[0-9a-f-]+\": \"test\" \"1.0.0\" on \"log-host\"", events);
        Assert.Contains($"batch accepted collector {id} session {session} accepted 2 duplicates 0 last_sequence ", events);
        Assert.Matches($"batch refused collector {id} session {session} events 1 status 422: \"The batch was refused as a whole.*type", events);
        Assert.Contains($"heartbeat collector {id} queue_depth 3 status \"ok\"", events);
        Assert.Contains($"session completed collector {id} session {session} outcome \"success\" events ", events);
        Assert.Contains($"key rotated collector {id} by \"admin\"", events);
        Assert.Contains("registration refused workspace ", events);
        Assert.Contains(" status 401: ", events);

        string[] secrets = [app.AdminToken, app.Secrets.PostgresPassword, app.Secrets.RedisPassword, TeamPeople.Password, .. used.Secrets];
        foreach (var file in Directory.GetFiles(_logs, "*.log", SearchOption.AllDirectories))
        {
            var text = await File.ReadAllTextAsync(file);
            Assert.All(secrets, secret => Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{file} holds a secret"));
            Assert.DoesNotContain("cs_live_", text.Replace(used.KeyPrefixes[0], "").Replace(used.KeyPrefixes[1], ""));
        }
    }

    /// <summary>What the test did, to find in the files, and the secrets it used, to find in none.</summary>
    private sealed record Used(Guid CollectorId, Guid PersonId, string SessionId, string[] Secrets, string[] KeyPrefixes);

    private static async Task<Used> UseTheApiAsync(CatSyphonApp app)
    {
        var workspace = await CollectorClient.CreateWorkspaceAsync(app);
        using var admin = app.CreateAdminClient();
        var enrollment = await PostForJsonAsync(admin, $"/api/workspaces/{workspace}/enrollment-tokens", new { expires_in_hours = 1 });
        var enrollmentToken = enrollment.GetProperty("token").GetString()!;
        using var anonymous = app.CreateHttpClient(ResourceNames.Api);
        using var refusedRegistration = await anonymous.PostAsJsonAsync("/collectors", Registration(workspace));
        Assert.Equal(HttpStatusCode.Unauthorized, refusedRegistration.StatusCode);
        using var enrolled = TeamPeople.Client(app, enrollmentToken);
        var registered = await PostForJsonAsync(enrolled, "/collectors", Registration(workspace));
        var key = registered.GetProperty("api_key").GetString()!;
        var collectorId = registered.GetProperty("collector_id").GetGuid();
        using var collector = new CollectorClient(TeamPeople.Client(app, key), workspace, collectorId, key);

        var session = $"log-files-{Guid.NewGuid():N}";
        await collector.SendAcceptedAsync(session, CollectorClient.Messages(0, 2));
        using var refused = await collector.SendAsync(session, [new { type = "telepathy", emitted_at = "2026-11-01T10:00:00Z", data = new { } }]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        using var heartbeat = await collector.Http.PostAsJsonAsync("/collectors/heartbeat", new { queue_depth = 3, status = "ok" });
        Assert.Equal(HttpStatusCode.OK, heartbeat.StatusCode);
        await PostForJsonAsync(collector.Http, $"/collectors/sessions/{session}/complete", new { outcome = "success" }, HttpStatusCode.OK);
        var rotated = await PostForJsonAsync(admin, $"/api/collectors/{collectorId}/rotate-key", new { }, HttpStatusCode.OK);
        var newKey = rotated.GetProperty("api_key").GetString()!;

        using var person = await TeamPeople.CreateAsync(app);
        var pat = (await PostForJsonAsync(person.Http, "/api/me/tokens", new { name = "log files" })).GetProperty("token").GetString()!;
        using var byPat = TeamPeople.Client(app, pat);
        // A secret in a query string stays out of the access log: the query string is never written.
        using var me = await byPat.GetAsync($"/api/me?token={pat}");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        return new Used(collectorId, person.Id, session, [enrollmentToken, key, newKey, pat, person.AccessToken],
            [registered.GetProperty("api_key_prefix").GetString()!, rotated.GetProperty("api_key_prefix").GetString()!]);
    }

    private static object Registration(Guid workspace) =>
        new { collector_type = "test", collector_version = "1.0.0", hostname = "log-host", workspace_id = workspace };

    private static async Task<JsonElement> PostForJsonAsync(HttpClient http, string path, object body, HttpStatusCode expected = HttpStatusCode.Created)
    {
        using var response = await http.PostAsJsonAsync(path, body);
        var json = await CollectorClient.ReadJsonAsync(response);
        Assert.True(response.StatusCode == expected, $"POST {path}: {(int)response.StatusCode} {json}");
        return json;
    }

    /// <summary>The lines of a service's file set (every day and size roll of it).</summary>
    private static List<string> Read(string folder, string name)
    {
        var files = Directory.GetFiles(folder, $"{name}-*.log");
        Assert.True(files.Length > 0, $"no {name} file in {folder}");
        return [.. files.Order().SelectMany(File.ReadAllLines)];
    }

    /// <summary>Every record of the error file is a warning or worse, and the file holds every such record of the application file.</summary>
    private static void AssertOnlyWarningsAndErrors(string folder)
    {
        var warnings = Read(folder, "application").Where(line => RecordStart().IsMatch(line) && !line.Contains(" [INF] ")).ToList();
        var errors = Directory.GetFiles(folder, "error-*.log").Order().SelectMany(File.ReadAllLines).Where(line => RecordStart().IsMatch(line)).ToList();
        Assert.All(errors, line => Assert.Matches(@"^\S+ \[(WRN|ERR|FTL)\] ", line));
        // Each file has its own lock, so two threads' records may land in the two files in different orders.
        Assert.Equal(warnings.Order(StringComparer.Ordinal), errors.Order(StringComparer.Ordinal));
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z ")]
    private static partial Regex RecordStart();

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (?<request>\S+ \S+ \d{3}) (?<duration>[0-9.]+)ms (?<caller>\S+) (?<address>\S+)$")]
    private static partial Regex AccessLine();
}
