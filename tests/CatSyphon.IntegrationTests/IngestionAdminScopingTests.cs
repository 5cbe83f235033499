using static CatSyphon.IntegrationTests.QueryValidationTests;

namespace CatSyphon.IntegrationTests;

/// <summary>
/// The ingestion admin endpoints require <c>workspace_id</c> and honour it: another workspace's jobs and dead letters
/// are never listed, counted or replayed; a stream id Redis would refuse is a 422, never a 500.
/// </summary>
[Collection(RunningStackCollection.Name)]
public sealed class IngestionAdminScopingTests(RunningStackFixture stack)
{
    [Theory]
    [InlineData("GET", "/api/ingestion/jobs")]
    [InlineData("GET", "/api/ingestion/stats")]
    [InlineData("GET", "/api/ingestion/dead-letters")]
    [InlineData("POST", "/api/ingestion/dead-letters/1-0/replay")]
    public async Task Workspace_id_is_required(string method, string path)
    {
        using var admin = stack.App.CreateAdminClient();

        await AssertValidationProblemAsync(await admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)), "workspace_id");
    }

    [Fact]
    public async Task Another_workspaces_jobs_and_dead_letters_are_neither_listed_counted_nor_replayed()
    {
        using var owner = await CollectorClient.RegisterAsync(stack.App);
        var other = await CollectorClient.CreateWorkspaceAsync(stack.App);
        using var admin = stack.App.CreateAdminClient();
        await owner.SendAcceptedAsync($"scoped-{Guid.NewGuid():N}", CollectorClient.Messages(1, 2, sequenced: true));
        var deadId = await AddDeadLetterAsync(owner);
        var ownJobs = default(System.Text.Json.JsonElement);
        await Poll.UntilAsync(async () =>
        {
            ownJobs = await CollectorClient.ReadJsonAsync(await admin.GetAsync($"/api/ingestion/jobs?workspace_id={owner.WorkspaceId}"));
            return ownJobs.GetProperty("items").GetArrayLength() > 0;
        }, TimeSpan.FromSeconds(60), "the accepted batch's job");

        var otherJobs = await CollectorClient.ReadJsonAsync(await admin.GetAsync($"/api/ingestion/jobs?workspace_id={other}"));
        var ownLetters = await CollectorClient.ReadJsonAsync(await admin.GetAsync($"/api/ingestion/dead-letters?workspace_id={owner.WorkspaceId}"));
        var otherLetters = await CollectorClient.ReadJsonAsync(await admin.GetAsync($"/api/ingestion/dead-letters?workspace_id={other}"));
        var otherStats = await CollectorClient.ReadJsonAsync(await admin.GetAsync($"/api/ingestion/stats?workspace_id={other}"));
        var ownStats = await CollectorClient.ReadJsonAsync(await admin.GetAsync($"/api/ingestion/stats?workspace_id={owner.WorkspaceId}"));
        using var foreignReplay = await admin.PostAsync($"/api/ingestion/dead-letters/{deadId}/replay?workspace_id={other}", null);

        Assert.NotEmpty(ownJobs.GetProperty("items").EnumerateArray());
        Assert.All(ownJobs.GetProperty("items").EnumerateArray(), job => Assert.Equal(owner.WorkspaceId, job.GetProperty("workspace_id").GetGuid()));
        Assert.Empty(otherJobs.GetProperty("items").EnumerateArray());
        Assert.Contains(ownLetters.EnumerateArray(), letter => letter.GetProperty("id").GetString() == deadId);
        Assert.Empty(otherLetters.EnumerateArray());
        Assert.Equal(0, otherStats.GetProperty("dead_letters").GetInt64());
        Assert.Equal(1, ownStats.GetProperty("dead_letters").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, foreignReplay.StatusCode);
        Assert.Contains((await CollectorClient.ReadJsonAsync(await admin.GetAsync($"/api/ingestion/dead-letters?workspace_id={owner.WorkspaceId}"))).EnumerateArray(),
            letter => letter.GetProperty("id").GetString() == deadId);
    }

    [Theory]
    [InlineData("99999999999999999999-0")]
    [InlineData("1-99999999999999999999")]
    [InlineData("18446744073709551616-0")]
    [InlineData("-1-0")]
    [InlineData("1-0-0")]
    [InlineData("abc")]
    public async Task Replaying_a_malformed_or_out_of_range_stream_id_is_422(string id)
    {
        var workspace = await CollectorClient.CreateWorkspaceAsync(stack.App);
        using var admin = stack.App.CreateAdminClient();

        await AssertValidationProblemAsync(await admin.PostAsync($"/api/ingestion/dead-letters/{Uri.EscapeDataString(id)}/replay?workspace_id={workspace}", null), "id");
    }

    /// <summary>A dead letter of the collector's workspace, as the worker writes one; its events are never replayed here.</summary>
    private async Task<string> AddDeadLetterAsync(CollectorClient collector)
    {
        var received = DateTimeOffset.UtcNow;
        var session = $"dead-{Guid.NewGuid():N}";
        var batch = new BufferedBatch
        {
            Kind = BufferedBatchKind.Events,
            WorkspaceId = collector.WorkspaceId,
            CollectorId = collector.CollectorId,
            SessionId = session,
            ConversationId = Guid.CreateVersion7(),
            ReceivedAt = received,
            Job = new BufferedJob(Guid.CreateVersion7(), collector.WorkspaceId, collector.CollectorId, session, null, 0, 0, 0, "accepted", 202, null, received, 1),
        };
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await stack.App.GetConnectionStringAsync(ResourceNames.Redis));
        return (await redis.GetDatabase().StreamAddAsync(IngestionRedisKeys.DeadLetters,
        [
            new NameValueEntry(IngestionRedisKeys.PayloadField, BufferedBatchSerializer.Serialize(batch)),
            new NameValueEntry(IngestionRedisKeys.ErrorField, "simulated failure"),
            new NameValueEntry(IngestionRedisKeys.SourceField, (string)IngestionRedisKeys.Shard(0)!),
        ])).ToString();
    }
}
