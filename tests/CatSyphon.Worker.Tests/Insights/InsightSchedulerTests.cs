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
}
