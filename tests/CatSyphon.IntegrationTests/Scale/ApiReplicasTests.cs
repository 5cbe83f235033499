namespace CatSyphon.IntegrationTests.Scale;

/// <summary>A stack with two API replicas (<c>Scale:ApiReplicas=2</c>) and a tight per-collector rate.</summary>
public sealed class ApiReplicasFixture : StackFixture
{
    public const int Replicas = 2;
    public const int RequestsPerSecond = 5;

    protected override Task<CatSyphonApp> StartAsync() => CatSyphonApp.StartHealthyAsync(
        new Dictionary<string, string> { ["Ingest__RequestsPerSecondPerCollector"] = RequestsPerSecond.ToString() },
        new Dictionary<string, string> { ["Scale:ApiReplicas"] = Replicas.ToString() });
}

/// <summary>What one API process used to keep to itself holds across replicas.</summary>
public sealed class ApiReplicasTests(ApiReplicasFixture stack) : IClassFixture<ApiReplicasFixture>
{
    [Fact]
    public async Task A_collectors_requests_spread_over_both_replicas_exceed_its_rate_once_not_twice()
    {
        var replicas = await ReplicaEndpoints.OfAsync(stack.App, ResourceNames.Api, ApiReplicasFixture.Replicas);
        using var collector = await CollectorClient.RegisterAsync(stack.App);
        var clients = replicas.Select(collector.At).ToList();
        var session = $"shared-rate-{Guid.NewGuid():N}";
        var burst = 2 * ApiReplicasFixture.RequestsPerSecond;

        // Each replica first takes one batch, so both have resolved the key and run the events path once: a cold replica
        // answers so late that the whole burst can go to the other. Then the bucket refills (burst / rate seconds).
        foreach (var client in clients)
        {
            using var warm = await client.SendAsync($"{session}-warm", [CollectorClient.Message(clients.IndexOf(client))]);
            Assert.Equal(HttpStatusCode.Accepted, warm.StatusCode);
        }

        await Task.Delay(TimeSpan.FromSeconds((double)burst / ApiReplicasFixture.RequestsPerSecond + 0.5));

        // Four times the burst, split between the replicas: each process alone would allow a full burst. The requests go
        // in rounds of one per replica sent together, so both race for every token; sent all at once, one replica could
        // take the whole burst before the other answered its first request, and which replica accepted would be luck.
        var elapsed = Stopwatch.StartNew();
        var answers = new List<(int Replica, HttpStatusCode Status, TimeSpan? RetryAfter)>();
        for (var round = 0; round < burst * 2; round++)
        {
            answers.AddRange(await Task.WhenAll(clients.Select(async (client, replica) =>
            {
                using var answer = await client.SendAsync(session, [CollectorClient.Message(round * clients.Count + replica)]);
                return (replica, answer.StatusCode, answer.Headers.RetryAfter?.Delta);
            })));
        }

        var accepted = answers.Count(answer => answer.Status == HttpStatusCode.Accepted);
        var refilled = (int)Math.Ceiling(elapsed.Elapsed.TotalSeconds * ApiReplicasFixture.RequestsPerSecond);
        Assert.InRange(accepted, burst, burst + refilled);
        Assert.All(answers, answer => Assert.Contains(answer.Status, new[] { HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests }));
        foreach (var replica in Enumerable.Range(0, clients.Count))
        {
            // Both replicas accepted their share of the burst and then refused, with Retry-After.
            Assert.Contains(answers, answer => answer.Replica == replica && answer.Status == HttpStatusCode.Accepted);
            Assert.Contains(answers, answer => answer.Replica == replica && answer.Status == HttpStatusCode.TooManyRequests
                && answer.RetryAfter >= TimeSpan.FromSeconds(1));
        }

        clients.ForEach(client => client.Http.Dispose());
    }

    [Fact]
    public async Task A_key_revoked_through_one_replica_is_refused_by_the_other_within_a_second()
    {
        var replicas = await ReplicaEndpoints.OfAsync(stack.App, ResourceNames.Api, ApiReplicasFixture.Replicas);
        using var collector = await CollectorClient.RegisterAsync(stack.App);
        using var first = collector.At(replicas[0]);
        using var second = collector.At(replicas[1]);
        // Both replicas have resolved the key, so the second answers from its cache unless told to forget it.
        foreach (var replica in new[] { first, second })
        {
            using var known = await replica.Http.PostAsJsonAsync("/collectors/heartbeat", new { });
            Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        }

        using var admin = new HttpClient { BaseAddress = replicas[0] };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", stack.App.AdminToken);
        using var revoked = await admin.PostAsync($"/api/collectors/{collector.CollectorId}/revoke", null);
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);

        var elapsed = Stopwatch.StartNew();
        var status = await Poll.LatestAsync(
            async () =>
            {
                using var answer = await second.Http.PostAsJsonAsync("/collectors/heartbeat", new { });
                return answer.StatusCode;
            },
            answer => answer == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(1.5), $"the other replica took {elapsed.Elapsed} to refuse the revoked key");
    }
}
