using NpgsqlTypes;

namespace CatSyphon.IntegrationTests;

/// <summary>
/// Analytics can never overflow: millions of API responses, each of the largest allowed size (1e9 tokens in every
/// count), still answer 200 with exact totals on every endpoint that sums tokens (issue 10, seen bug 1).
/// </summary>
[Collection(RunningStackCollection.Name)]
public sealed class AnalyticsOverflowTests(RunningStackFixture stack, ITestOutputHelper output)
{
    private const int Rows = 3_000_000;
    private const long MaxCount = 1_000_000_000;
    private static readonly DateTimeOffset FirstDay = new(2026, 10, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_largest_counts_summed_over_millions_of_responses_answer_exact_totals()
    {
        await using var context = await WorkerTestContext.CreateAsync(stack.App);
        var conversations = await StartSessionsAsync(context, ["alice", "bob", "carol"]);

        var copy = Stopwatch.StartNew();
        await Task.Run(() => CopyMaximalUsages(context.Database, context.WorkspaceId, conversations));
        output.WriteLine($"COPY of {Rows:N0} token_usages rows: {copy.Elapsed.TotalSeconds:F1} s");

        const long column = Rows * MaxCount;
        const long total = 4 * column;
        using var admin = stack.App.CreateAdminClient();
        admin.Timeout = TimeSpan.FromMinutes(3);
        var workspace = context.WorkspaceId;

        var tokens = await GetAsync(admin, $"/api/stats/tokens?workspace_id={workspace}&group_by=day");
        var totals = tokens.GetProperty("totals");
        Assert.Equal([column, column, column, column, total],
            new[] { "input", "output", "cache_creation", "cache_read", "total" }.Select(name => totals.GetProperty(name).GetInt64()));
        Assert.Equal(total, tokens.GetProperty("groups").EnumerateArray().Sum(group => group.GetProperty("total").GetInt64()));
        var cost = totals.GetProperty("cost").GetDecimal();
        Assert.True(cost > 0);
        Assert.Equal(0, totals.GetProperty("unpriced_tokens").GetInt64());

        var activity = (await GetAsync(admin, $"/api/stats/activity?workspace_id={workspace}&group_by=developer")).GetProperty("totals");
        Assert.Equal(total, activity.GetProperty("total_tokens").GetInt64());
        Assert.Equal(cost, activity.GetProperty("cost_usd").GetDecimal());

        foreach (var list in new[] { "projects", "developers" })
        {
            var rows = (await GetAsync(admin, $"/api/{list}?workspace_id={workspace}")).EnumerateArray().ToList();
            Assert.Equal(3, rows.Count);
            Assert.Equal(total, rows.Sum(row => row.GetProperty("tokens").GetProperty("total").GetInt64()));
            Assert.Equal(cost, rows.Sum(row => row.GetProperty("tokens").GetProperty("cost").GetDecimal()));
        }
    }

    private async Task<JsonElement> GetAsync(HttpClient admin, string path)
    {
        var watch = Stopwatch.StartNew();
        using var response = await admin.GetAsync(path);
        var body = await CollectorClient.ReadJsonAsync(response);
        output.WriteLine($"{path}: {(int)response.StatusCode} in {watch.Elapsed.TotalSeconds:F1} s");
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return body;
    }

    /// <summary>One session per developer, each in its own project, stored by the worker; their conversation ids.</summary>
    private static async Task<Guid[]> StartSessionsAsync(WorkerTestContext context, string[] developers)
    {
        var ids = new List<Guid>();
        foreach (var developer in developers)
        {
            var session = $"overflow-{developer}-{Guid.NewGuid():N}";
            var conversationId = Guid.CreateVersion7();
            var batch = context.Batch(session, conversationId,
                WorkerTestContext.Event("session_start", 1, new { agent_type = "claude-code", working_directory = $"/home/{developer}/project-{developer}" }),
                WorkerTestContext.Message(2, "human", "Go."));
            await context.WaitUntilDeletedAsync(WorkerTestContext.ShardOf(batch), await context.AddAsync(batch));
            ids.Add((Guid)(await context.ConversationAsync(session))!["id"]!);
        }

        return [.. ids];
    }

    /// <summary>
    /// Binary COPY: millions of rows in seconds, each with every count at the protocol's limit. The rows reference
    /// rows that exist, so the foreign keys' per-row triggers are skipped (replica role) to keep the test fast; the
    /// CHECK constraints on the counts still apply.
    /// </summary>
    private static void CopyMaximalUsages(NpgsqlDataSource database, Guid workspace, Guid[] conversations)
    {
        using var connection = database.OpenConnection();
        using (var replica = new NpgsqlCommand("SET session_replication_role = replica", connection))
        {
            replica.ExecuteNonQuery();
        }

        using var writer = connection.BeginBinaryImport("""
            COPY token_usages (workspace_id, usage_key, conversation_id, model, occurred_at, input_tokens, output_tokens,
                               cache_creation_tokens, cache_read_tokens, from_sub_agent) FROM STDIN (FORMAT BINARY)
            """);
        writer.Timeout = TimeSpan.FromMinutes(10);
        for (var i = 0; i < Rows; i++)
        {
            writer.StartRow();
            writer.Write(workspace, NpgsqlDbType.Uuid);
            writer.Write($"max-{i}", NpgsqlDbType.Text);
            writer.Write(conversations[i % conversations.Length], NpgsqlDbType.Uuid);
            writer.Write("claude-opus-4-6", NpgsqlDbType.Text);
            writer.Write(FirstDay.AddSeconds(i % (30 * 86_400)).UtcDateTime, NpgsqlDbType.TimestampTz);
            for (var count = 0; count < 4; count++)
            {
                writer.Write(MaxCount, NpgsqlDbType.Bigint);
            }

            writer.Write(false, NpgsqlDbType.Boolean);
        }

        writer.Complete();
    }
}
