using CatSyphon.Worker.Tests.Infrastructure;

namespace CatSyphon.Worker.Tests.Insights;

/// <summary>Which sessions the worker's round tags: over and untagged, grown since, never active ones; and what it stores.</summary>
[Collection(WorkerStoresCollection.Name)]
public sealed class InsightSchedulerTests(WorkerStores stores) : PersistingTest(stores)
{
    [Fact]
    public async Task An_idle_session_is_tagged_once_and_again_when_it_grows()
    {
        await PersistAsync(Session.Batch(
            Session.Event("message", new { author_role = "human", message_type = "prompt", content = "Fix the crash in the parser" }),
            Session.Event("message", new { author_role = "assistant", message_type = "response", content = "Fixed." })));

        await InsightRound.RunAsync(Stores);
        var first = await InsightRound.ReadAsync(Stores, Session.WorkspaceId, Session.SessionId);
        Assert.NotNull(first);
        Assert.Equal("bug_fix", first["intent"]);
        Assert.Equal(2, first["event_count"]);
        Assert.Equal(Worker.Insights.SessionTagger.RulesVersion, first["rules_version"]);
        Assert.Equal(Session.WorkspaceId, first["workspace_id"]);

        await InsightRound.RunAsync(Stores);
        var unchanged = await InsightRound.ReadAsync(Stores, Session.WorkspaceId, Session.SessionId);
        Assert.Equal(first["computed_at"], unchanged!["computed_at"]);

        await PersistAsync(Session.Batch(Session.Event("message", new { author_role = "human", message_type = "prompt", content = "thanks, perfect" })));
        await InsightRound.RunAsync(Stores);
        var grown = await InsightRound.ReadAsync(Stores, Session.WorkspaceId, Session.SessionId);
        Assert.Equal(3, grown!["event_count"]);
        Assert.Equal("success", grown["outcome"]);
        Assert.Contains("approve", (string)grown["evidence"]!);
    }

    [Fact]
    public async Task A_session_active_within_the_idle_time_is_not_tagged_until_it_completes()
    {
        await PersistAsync(Session.Batch(Session.Event("message", new { author_role = "human", message_type = "prompt", content = "Add a flag" })));

        // The test session's events are from 2026-12-01; an idle time of ten years keeps it active.
        await InsightRound.RunAsync(Stores, idleAfter: TimeSpan.FromDays(3_650));
        Assert.Null(await InsightRound.ReadAsync(Stores, Session.WorkspaceId, Session.SessionId));

        await PersistAsync(Session.Completion("success", null));
        await InsightRound.RunAsync(Stores, idleAfter: TimeSpan.FromDays(3_650));
        Assert.NotNull(await InsightRound.ReadAsync(Stores, Session.WorkspaceId, Session.SessionId));
    }

    [Fact]
    public async Task The_round_stores_the_measures_the_team_reports_add_up()
    {
        await PersistAsync(Session.Batch(
            Session.Event("message", new { author_role = "human", message_type = "prompt", content = "Add a --verbose flag" }),
            Session.Event("tool_call", new
            {
                tool_use_id = "toolu_1", tool_name = "Edit", parameters = new { file_path = "src/cli.py" },
                file_change = new { path = "src/cli.py", change_kind = "Modified", lines_added = 3, lines_deleted = 1 },
            }),
            Session.Event("tool_result", new { tool_use_id = "toolu_1", result = "ok", success = true }),
            Session.Event("tool_call", new { tool_use_id = "toolu_2", tool_name = "Bash", parameters = new { command = "pytest -q" } }),
            Session.Event("tool_result", new { tool_use_id = "toolu_2", result = "12 passed in 0.3s", success = true }),
            Session.Event("tool_call", new { tool_use_id = "toolu_3", tool_name = "Bash", parameters = new { command = "git commit -am 'Verbose flag'" } }),
            Session.Event("tool_result", new { tool_use_id = "toolu_3", result = "[main 1a2b3c] Verbose flag", success = true }),
            Session.Event("tool_call", new { tool_use_id = "toolu_4", tool_name = "Bash", parameters = new { command = "docker build ." } }),
            Session.Event("tool_result", new { tool_use_id = "toolu_4", error_message = "Cannot connect to the Docker daemon" }),
            Session.Event("message", new { author_role = "assistant", message_type = "response", content = "Added the flag; the image could not be built." })));

        await InsightRound.RunAsync(Stores);

        var row = await InsightRound.ReadAsync(Stores, Session.WorkspaceId, Session.SessionId);
        Assert.NotNull(row);
        Assert.Equal((1, 1, true, 1), ((int)row["test_runs"]!, (int)row["tests_passed"]!, (bool)row["last_test_passed"]!, (int)row["commits"]!));
        Assert.Equal((1, 1), ((int)row["files_changed"]!, (int)row["unresolved_errors"]!));
        Assert.Equal(["Bash:docker"], (string[])row["error_targets"]!);
    }
}
