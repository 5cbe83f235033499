namespace CatSyphon.IntegrationTests;

/// <summary>
/// A workspace far larger than the memory the export may take (250,000 events, about 250 MB of JSON Lines) exports
/// while the API process's resident memory grows by less than a bound that does not depend on the data's size.
/// </summary>
[Collection(RunningStackCollection.Name)]
public sealed class ExportMemoryTests(RunningStackFixture stack, ITestOutputHelper log)
{
    private const int Sessions = 100;
    private const int EventsPerSession = 2_500;

    /// <summary>What the API may grow by while exporting: a few buffers and the collector's slack, not the archive.</summary>
    private const long AllowedGrowthBytes = 64L * 1024 * 1024;

    private CatSyphonApp App => stack.App;

    [Fact]
    public async Task A_large_workspace_exports_in_bounded_memory()
    {
        var team = await CollectorClient.CreateWorkspaceAsync(App);
        await using var db = new NpgsqlConnection(await App.GetConnectionStringAsync(ResourceNames.Database));
        await db.OpenAsync();
        var clock = Stopwatch.StartNew();
        await SeedAsync(db, team);
        log.WriteLine($"seeded {Sessions * EventsPerSession:N0} events in {clock.Elapsed.TotalSeconds:F1} s");
        try
        {
            var api = ProcessMemory.Of(ApiProcessId());
            var baseline = api.ResetPeak();
            // A plain client: the stack's clients carry a resilience pipeline whose attempt timeout is shorter than a big export may take.
            using var admin = new HttpClient { BaseAddress = new Uri(App.BaseUrl(ResourceNames.Api)), Timeout = TimeSpan.FromMinutes(5) };
            admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", App.AdminToken);
            clock.Restart();
            long peak;
            long messages;
            long uncompressed;
            using (var sampling = api.SamplePeak())
            {
                using var archive = await ExportArchiveFile.DownloadAsync(admin, $"/api/workspaces/{team}/export");
                peak = Math.Max(await sampling.StopAsync(), api.Peak());
                var exportSeconds = clock.Elapsed.TotalSeconds;
                messages = archive.CountMatchingManifest("messages.jsonl");
                uncompressed = archive.UncompressedBytes;
                log.WriteLine($"exported {new FileInfo(archive.Path).Length / 1_048_576.0:F1} MB zip ({uncompressed / 1_048_576.0:F1} MB of JSON) "
                    + $"in {exportSeconds:F1} s; API resident memory {baseline / 1_048_576.0:F1} MB before, peak {peak / 1_048_576.0:F1} MB, "
                    + $"growth {(peak - baseline) / 1_048_576.0:F1} MB");
            }

            Assert.Equal(Sessions * EventsPerSession, messages);
            // The bound means something only when the export is well beyond it.
            Assert.True(uncompressed > 3 * AllowedGrowthBytes, $"the export is only {uncompressed} bytes");
            Assert.True(peak - baseline < AllowedGrowthBytes,
                $"the API grew from {baseline / 1_048_576.0:F1} MB to {peak / 1_048_576.0:F1} MB while exporting");
        }
        finally
        {
            await ExecuteAsync(db, "DELETE FROM conversations WHERE workspace_id = $1", team);
        }
    }

    /// <summary>
    /// Sessions and their events written by PostgreSQL itself (generate_series), seconds instead of minutes through the
    /// collector protocol; each event carries about 600 characters of content and its raw data.
    /// </summary>
    private static async Task SeedAsync(NpgsqlConnection db, Guid workspace)
    {
        await ExecuteAsync(db, $"""
            INSERT INTO conversations (id, workspace_id, session_id, status, message_count, tool_call_count, event_count, last_sequence,
                                       persisted_sequence, has_plan, has_errors, created_at, updated_at, started_at, last_event_at)
            SELECT gen_random_uuid(), $1, 'bulk-' || s, 'completed', {EventsPerSession}, 0, {EventsPerSession}, {EventsPerSession},
                   {EventsPerSession}, false, false, now(), now(), now(), now()
            FROM generate_series(1, {Sessions}) s
            """, workspace);
        await ExecuteAsync(db, $"""
            INSERT INTO messages (conversation_id, sequence, event_hash, event_type, role, message_type, content, raw_data, emitted_at, received_at)
            SELECT c.id, n, md5(c.id::text || n), 'message', CASE WHEN n % 2 = 0 THEN 'user' ELSE 'assistant' END,
                   CASE WHEN n % 2 = 0 THEN 'prompt' ELSE 'response' END, repeat(md5(n::text), 19),
                   jsonb_build_object('author_role', 'user', 'seq', n), now(), now()
            FROM conversations c CROSS JOIN generate_series(1, {EventsPerSession}) n
            WHERE c.workspace_id = $1
            """, workspace);
    }

    private static async Task ExecuteAsync(NpgsqlConnection db, string sql, Guid workspace)
    {
        await using var command = new NpgsqlCommand(sql, db) { CommandTimeout = 120, Parameters = { new() { Value = workspace } } };
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The API's own process: DCP's pid, or the child of it that runs the API's assembly.</summary>
    private int ApiProcessId()
    {
        Assert.True(App.Application.ResourceNotifications.TryGetCurrentState(ResourceNames.Api, out var state), "the API has no state");
        var api = ProcessMemory.FindRunning(ResourceProcesses.ProcessId(state.Snapshot), "CatSyphon.ApiService");
        log.WriteLine($"API process {api}: {File.ReadAllText($"/proc/{api}/cmdline").Replace('\0', ' ')}");
        return api;
    }
}
