namespace CatSyphon.Worker.Tests.Insights.Llm;

/// <summary>
/// The LLM job against an OpenAI-compatible server the test starts: what it stores, what it caches, how it retries and
/// gives up, the budget, a refused key. Sessions of other tests' workspaces are switched off (budget 0) so only this
/// test's sessions are due.
/// </summary>
[Collection(WorkerStoresCollection.Name)]
public sealed class LlmInsightSchedulerTests(WorkerStores stores) : PersistingTest(stores)
{
    private FakeLlmServer? server;
    private LlmRound? round;

    private FakeLlmServer Server => server!;

    private LlmRound Round => round!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        server = await FakeLlmServer.StartAsync();
        round = new LlmRound(Stores, server);
        await Stores.RowsAsync("UPDATE workspaces SET llm_monthly_token_budget = 0 WHERE id <> $1", Session.WorkspaceId);
    }

    public override async Task DisposeAsync()
    {
        round?.Dispose();
        await (server?.DisposeAsync() ?? ValueTask.CompletedTask);
    }

    [Fact]
    public async Task An_answer_is_stored_with_its_usage_and_model_and_asked_again_only_when_the_session_grows()
    {
        await TaggedSessionAsync(Session, "Fix the crash in the parser");

        Assert.Equal(1, await Round.RunAsync());
        var stored = await Round.ReadAsync(Session);
        Assert.NotNull(stored);
        Assert.Equal("positive", stored["sentiment"]);
        Assert.Equal("The developer fixed the parser crash and the tests pass.", stored["summary"]);
        Assert.Equal(["a null token crashed the parser"], (string[])stored["problems"]!);
        Assert.Equal(["parser fix"], (string[])stored["features"]!);
        Assert.Empty((string[])stored["learning_opportunities"]!);
        Assert.Equal(FakeLlmServer.ServedModel, stored["model"]);
        Assert.Equal((long)FakeLlmServer.InputTokens, stored["input_tokens"]);
        Assert.Equal(2, stored["event_count"]);
        var usage = await Stores.RowAsync("SELECT * FROM llm_usage WHERE workspace_id = $1", Session.WorkspaceId);
        Assert.Equal((long)FakeLlmServer.InputTokens, usage["input_tokens"]);
        Assert.Equal((long)FakeLlmServer.OutputTokens, usage["output_tokens"]);
        Assert.Equal(1, usage["requests"]);

        Assert.Equal(0, await Round.RunAsync());
        Assert.Single(Server.Requests);

        await PersistAsync(Session.Batch(Session.Event("message", new { author_role = "human", message_type = "prompt", content = "thanks, perfect" })));
        await InsightRound.RunAsync(Stores);
        Assert.Equal(1, await Round.RunAsync());
        Assert.Equal(2, Server.Requests.Count);
        Assert.Equal(3, (await Round.ReadAsync(Session))!["event_count"]);
    }

    [Fact]
    public async Task A_server_error_is_retried_and_the_answer_stored()
    {
        await TaggedSessionAsync(Session, "Add a flag");
        Server.Then(new FakeReply(500), new FakeReply(502));

        Assert.Equal(1, await Round.RunAsync());
        Assert.Equal(3, Server.Requests.Count);
        Assert.Equal("positive", (await Round.ReadAsync(Session))!["sentiment"]);
    }

    [Fact]
    public async Task Too_many_requests_waits_for_the_retry_after_the_server_asks_for()
    {
        await TaggedSessionAsync(Session, "Add a flag");
        Server.Then(new FakeReply(429, RetryAfter: "1"));

        await Round.RunAsync();
        var times = Server.Requests.Select(r => r.At).ToList();
        Assert.Equal(2, times.Count);
        // The back-off alone would wait about 10 ms.
        Assert.True(times[1] - times[0] >= TimeSpan.FromMilliseconds(950), $"waited {times[1] - times[0]}");
        Assert.Equal("positive", (await Round.ReadAsync(Session))!["sentiment"]);
    }

    [Fact]
    public async Task An_answer_slower_than_the_timeout_is_retried_then_recorded_as_failed_and_the_round_goes_on()
    {
        await TaggedSessionAsync(Session, "Please be slow about the cache");
        var other = new TestSession(Session.WorkspaceId, Session.CollectorId);
        await TaggedSessionAsync(other, "Add a flag");
        Server.Fallback = body => body.Contains("slow about the cache") ? new FakeReply(Delay: TimeSpan.FromSeconds(5)) : FakeReply.Good;

        Assert.Equal(2, await Round.RunAsync());
        var failed = await Round.ReadAsync(Session);
        Assert.Equal("timed out", failed!["last_error"]);
        Assert.Equal(Round.Options.MaxAttempts, failed["attempts"]);
        Assert.Null(failed["sentiment"]);
        Assert.Equal("positive", (await Round.ReadAsync(other))!["sentiment"]);
        Assert.Equal(Round.Options.MaxAttempts + 1, Server.Requests.Count);

        Assert.Equal(0, await Round.RunAsync());
    }

    [Fact]
    public async Task A_malformed_answer_is_recorded_as_an_error_and_not_asked_again()
    {
        await TaggedSessionAsync(Session, "Add a flag");
        Server.Fallback = _ => new FakeReply(Content: "Sure! The session went well.");

        Assert.Equal(1, await Round.RunAsync());
        var stored = await Round.ReadAsync(Session);
        Assert.StartsWith("malformed answer", (string)stored!["last_error"]!);
        Assert.Null(stored["sentiment"]);
        Assert.Equal(1, (await Stores.RowAsync("SELECT requests FROM llm_usage WHERE workspace_id = $1", Session.WorkspaceId))["requests"]);

        Assert.Equal(0, await Round.RunAsync());
        Assert.Single(Server.Requests);
    }

    [Fact]
    public async Task A_workspace_whose_budget_is_used_up_sends_no_request()
    {
        await TaggedSessionAsync(Session, "Add a flag");
        await Stores.RowsAsync("UPDATE workspaces SET llm_monthly_token_budget = 5000 WHERE id = $1", Session.WorkspaceId);
        await Stores.RowsAsync(
            "INSERT INTO llm_usage (workspace_id, month, input_tokens, output_tokens, requests) VALUES ($1, date_trunc('month', now() AT TIME ZONE 'UTC')::date, 4000, 1000, 3)",
            Session.WorkspaceId);
        Assert.Equal(0, await Round.RunAsync());

        // Budget left, but less than the request could take: still nothing is sent.
        await Stores.RowsAsync("UPDATE workspaces SET llm_monthly_token_budget = 5100 WHERE id = $1", Session.WorkspaceId);
        Assert.Equal(0, await Round.RunAsync());
        Assert.Empty(Server.Requests);
        Assert.Null(await Round.ReadAsync(Session));
    }

    [Fact]
    public async Task A_refused_key_stops_the_round()
    {
        await TaggedSessionAsync(Session, "Add a flag");
        await TaggedSessionAsync(new TestSession(Session.WorkspaceId, Session.CollectorId), "Add another flag");
        Server.Fallback = _ => new FakeReply(401);

        Assert.Equal(1, await Round.RunAsync());
        Assert.Single(Server.Requests);
        Assert.Null(await Round.ReadAsync(Session));
    }

    [Fact]
    public async Task Secrets_never_reach_the_server_and_the_prompt_stays_within_its_limit()
    {
        const string PlantedToken = "ghp_0123456789abcdefghijABCDEFGHIJ012345";
        const string WorkspaceSecret = "zebra-778899";
        var events = new List<BufferedEvent>
        {
            Session.Event("message", new { author_role = "human", message_type = "prompt", content = $"Deploy with {PlantedToken} and {WorkspaceSecret}" }),
        };
        for (var i = 0; i < 60; i++)
        {
            events.Add(Session.Event("message", new { author_role = "assistant", message_type = "response", content = new string('x', 300) + $" step {i}" }));
        }

        events.Add(Session.Event("message", new { author_role = "human", message_type = "prompt", content = $"again: {WorkspaceSecret}" }));
        await PersistAsync(Session.Batch([.. events]));
        await InsightRound.RunAsync(Stores);
        // A rule added after the events were stored still applies to what is sent.
        await Stores.RowsAsync(
            "INSERT INTO redaction_rules (id, workspace_id, kind, value, label, created_by, created_at) VALUES ($1, $2, 'pattern', 'zebra-[0-9]+', 'zebra', 'test', now())",
            Guid.CreateVersion7(), Session.WorkspaceId);

        Assert.Equal(1, await Round.RunAsync());
        var body = Assert.Single(Server.Requests).Body;
        Assert.DoesNotContain(PlantedToken, body);
        Assert.DoesNotContain(WorkspaceSecret, body);
        Assert.Contains("[REDACTED:zebra]", body);
        Assert.Contains("[REDACTED:github-token]", body);
        Assert.Contains("step 59", body);
        Assert.DoesNotContain(Round.Options.ApiKey!, body);
        Assert.InRange(PromptCharacters(body), 1_000, Round.Options.MaxPromptCharacters);
    }

    /// <summary>The text of every message of a chat completions request (content as a string or as text parts).</summary>
    private static int PromptCharacters(string body)
    {
        using var request = JsonDocument.Parse(body);
        return request.RootElement.GetProperty("messages").EnumerateArray().Sum(message => message.GetProperty("content") is var content
            && content.ValueKind == JsonValueKind.String
                ? content.GetString()!.Length
                : content.EnumerateArray().Sum(part => part.GetProperty("text").GetString()!.Length));
    }

    /// <summary>A two-message session of <paramref name="session"/>, stored and given its deterministic tags.</summary>
    private async Task TaggedSessionAsync(TestSession session, string prompt)
    {
        await PersistAsync(session.Batch(
            session.Event("message", new { author_role = "human", message_type = "prompt", content = prompt }),
            session.Event("message", new { author_role = "assistant", message_type = "response", content = "Done." })));
        await InsightRound.RunAsync(Stores);
    }
}
