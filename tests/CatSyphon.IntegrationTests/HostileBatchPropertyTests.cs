namespace CatSyphon.IntegrationTests;

/// <summary>
/// Property: thousands of random and hostile batches (<see cref="HostileBatches"/>), sent concurrently, are each
/// answered 202 or 4xx, never 5xx; valid ones are taken (409 only for a planned gap), hostile ones refused whole;
/// and once the worker drains, PostgreSQL and the API hold exactly the accepted events and their tokens.
/// </summary>
[Collection(RunningStackCollection.Name)]
public sealed class HostileBatchPropertyTests(RunningStackFixture stack, ITestOutputHelper output)
{
    private const int Seed = 20261205;
    private const int Requests = 3_000;
    private const int Lanes = 8;
    private const int Collectors = 4;
    private const int Sessions = 64;

    [Fact]
    public async Task Random_and_hostile_batches_answer_202_or_4xx_and_exactly_the_accepted_events_are_stored()
    {
        var workspace = await CollectorClient.CreateWorkspaceAsync(stack.App);
        var collectors = new List<CollectorClient>();
        for (var i = 0; i < Collectors; i++)
        {
            collectors.Add(await CollectorClient.RegisterAsync(stack.App, workspace));
        }

        var planner = new HostileBatches(Seed, Lanes, Collectors, Sessions);
        var requests = planner.Plan(Requests);
        var answers = new Answer[requests.Count];
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Lanes).Select(lane => Task.Run(async () =>
        {
            // One lane sends its sessions' batches in plan order, so a session's sequences advance as planned.
            for (var i = 0; i < requests.Count; i++)
            {
                if (requests[i].Lane == lane)
                {
                    answers[i] = await SendAsync(collectors[requests[i].Collector].Http, requests[i].Body);
                }
            }
        })));
        output.WriteLine($"{Requests} requests in {watch.Elapsed.TotalSeconds:F1} s: " +
            string.Join(", ", answers.GroupBy(a => a.Status).OrderBy(g => g.Key).Select(g => $"{g.Key} x{g.Count()}")));

        AssertEveryAnswerKeptTheContract(requests, answers);

        // What must be stored: every event of every 202 batch, once (resends and overlaps are duplicates).
        var stored = new HashSet<(string Session, long Number)>();
        for (var i = 0; i < requests.Count; i++)
        {
            if (answers[i].Status == 202)
            {
                stored.UnionWith(requests[i].Events);
            }
        }

        Assert.Equal(stored.Count, answers.Where(a => a.Status == 202).Sum(a => (long)a.Accepted));
        await WaitForDrainAsync(collectors[0], stored);
        output.WriteLine($"{stored.Count} events stored and drained after {watch.Elapsed.TotalSeconds:F1} s");

        var usages = stored.Select(identity => planner.Usages[identity]).OfType<PlannedUsage>().ToList();
        var expected = new[] { usages.Sum(u => u.Input), usages.Sum(u => u.Output), usages.Sum(u => u.CacheCreation), usages.Sum(u => u.CacheRead) };
        await using var database = NpgsqlDataSource.Create(await stack.App.GetConnectionStringAsync(ResourceNames.Database));
        await using (var command = database.CreateCommand("""
            SELECT (SELECT count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.workspace_id = $1),
                   coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0),
                   coalesce(sum(cache_creation_tokens), 0), coalesce(sum(cache_read_tokens), 0)
            FROM token_usages WHERE workspace_id = $1
            """))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = workspace });
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal(stored.Count, reader.GetInt64(0));
            Assert.Equal(expected, Enumerable.Range(1, 4).Select(column => (long)reader.GetDecimal(column)));
        }

        using var admin = stack.App.CreateAdminClient();
        var totals = (await admin.GetFromJsonAsync<JsonElement>($"/api/stats/tokens?workspace_id={workspace}")).GetProperty("totals");
        Assert.Equal(expected, new[] { "input", "output", "cache_creation", "cache_read" }.Select(name => totals.GetProperty(name).GetInt64()));
        Assert.Equal(expected.Sum(), totals.GetProperty("total").GetInt64());
        collectors.ForEach(collector => collector.Dispose());
    }

    private static void AssertEveryAnswerKeptTheContract(List<PlannedRequest> requests, Answer[] answers)
    {
        var broken = new List<string>();
        for (var i = 0; i < requests.Count; i++)
        {
            var (request, answer) = (requests[i], answers[i]);
            var expected = request.ExpectGap ? answer.Status == 409
                : request.Valid ? answer.Status == 202
                : answer.Status is >= 400 and < 500 and not 409;
            if (!expected)
            {
                broken.Add($"#{i} ({request.What}): {answer.Status} {answer.Body[..Math.Min(answer.Body.Length, 400)]}");
            }
        }

        Assert.True(broken.Count == 0, $"{broken.Count} answers broke the contract:\n{string.Join("\n", broken.Take(20))}");
    }

    private static async Task<Answer> SendAsync(HttpClient http, byte[] body)
    {
        while (true)
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await http.PostAsync("/collectors/events", content);
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                // Back-pressure is no verdict on the batch: send it again as a collector would.
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
                continue;
            }

            var accepted = response.StatusCode == HttpStatusCode.Accepted ? JsonDocument.Parse(text).RootElement.GetProperty("accepted").GetInt32() : 0;
            return new Answer((int)response.StatusCode, accepted, text);
        }
    }

    /// <summary>Every session the batches reached holds exactly its stored events, all of them in PostgreSQL.</summary>
    private static async Task WaitForDrainAsync(CollectorClient collector, HashSet<(string Session, long Number)> stored)
    {
        foreach (var session in stored.GroupBy(identity => identity.Session))
        {
            var events = session.LongCount();
            var status = await WorkerTestContext.EventuallyAsync(
                () => collector.SessionAsync(session.Key),
                s => s.GetProperty("persisted_sequence").GetInt64() >= s.GetProperty("last_sequence").GetInt64(),
                $"session {session.Key} persisted");
            Assert.Equal(events, status.GetProperty("event_count").GetInt64());
            Assert.Equal(events, status.GetProperty("last_sequence").GetInt64());
        }
    }

    private sealed record Answer(int Status, int Accepted, string Body);
}
