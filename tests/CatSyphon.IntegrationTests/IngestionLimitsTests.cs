namespace CatSyphon.IntegrationTests;

/// <summary>A stack with tight ingestion limits: rate, body size and lag are refused as the contract says.</summary>
public sealed class IngestionLimitsFixture : StackFixture
{
    public const int RequestsPerSecond = 5;
    public const int MaxRequestBytes = 64 * 1024;
    public const int MaxLag = 5;
    public const int MaxUploadBytes = 8 * 1024;

    protected override Task<CatSyphonApp> StartAsync() =>
        CatSyphonApp.StartHealthyAsync(new Dictionary<string, string>
        {
            ["Ingest__RequestsPerSecondPerCollector"] = RequestsPerSecond.ToString(),
            ["Ingest__MaxRequestBytes"] = MaxRequestBytes.ToString(),
            ["Ingest__MaxLag"] = MaxLag.ToString(),
            ["Uploads__MaxFileBytes"] = MaxUploadBytes.ToString(),
        });
}

public sealed class IngestionLimitsTests(IngestionLimitsFixture stack) : IClassFixture<IngestionLimitsFixture>
{
    [Fact]
    public async Task A_collector_over_its_rate_gets_429_with_retry_after_and_nothing_stored()
    {
        using var collector = await CollectorClient.RegisterAsync(stack.App);
        var session = $"rate-{Guid.NewGuid():N}";

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < IngestionLimitsFixture.RequestsPerSecond * 4; i++)
        {
            answers.Add(await collector.SendAsync(session, [CollectorClient.Message(i)]));
        }

        var limited = answers.Where(answer => answer.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        Assert.All(limited, answer => Assert.True(answer.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1)));
        Assert.Equal("application/problem+json", limited[0].Content.Headers.ContentType?.MediaType);
        var accepted = answers.Count(answer => answer.StatusCode == HttpStatusCode.Accepted);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Equal(accepted, (await collector.SessionAsync(session)).GetProperty("event_count").GetInt64());
        answers.ForEach(answer => answer.Dispose());
    }

    [Fact]
    public async Task An_upload_over_the_file_limit_is_413()
    {
        var workspace = await CollectorClient.CreateWorkspaceAsync(stack.App);
        using var admin = stack.App.CreateAdminClient();
        var big = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid()}.jsonl");
        await File.WriteAllTextAsync(big, new string('x', IngestionLimitsFixture.MaxUploadBytes * 2));
        try
        {
            using var answer = await admin.PostAsync($"/api/uploads?workspace_id={workspace}", UploadTests.Form([big]));

            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, answer.StatusCode);
            Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        }
        finally
        {
            File.Delete(big);
        }
    }

    [Fact]
    public async Task A_body_over_the_configured_size_is_413_and_nothing_stored()
    {
        using var collector = await CollectorClient.RegisterAsync(stack.App);
        var session = $"big-{Guid.NewGuid():N}";

        using var answer = await collector.SendAsync(session, [CollectorClient.Message(0, content: new string('x', IngestionLimitsFixture.MaxRequestBytes))]);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        using var status = await collector.Http.GetAsync($"/collectors/sessions/{session}");
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
    }

    [Fact]
    public async Task Lag_above_the_bound_is_503_with_retry_after_until_the_worker_catches_up()
    {
        using var collector = await CollectorClient.RegisterAsync(stack.App);
        await stack.App.ExecuteCommandAsync(ResourceNames.Worker, KnownResourceCommands.StopCommand);
        try
        {
            HttpResponseMessage? refused = null;
            for (var batch = 0; batch < 50 && refused is null; batch++)
            {
                var answer = await collector.SendAsync($"lag-{batch}-{Guid.NewGuid():N}", [CollectorClient.Message(batch)]);
                if (answer.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    refused = answer;
                }
                else
                {
                    Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
                    answer.Dispose();
                    // The lag is read a few times a second.
                    await Task.Delay(300);
                }
            }

            Assert.NotNull(refused);
            Assert.NotNull(refused.Headers.RetryAfter);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            refused.Dispose();
        }
        finally
        {
            await stack.App.ExecuteCommandAsync(ResourceNames.Worker, KnownResourceCommands.StartCommand);
        }

        HttpStatusCode status = default;
        for (var attempt = 0; attempt < 200 && status != HttpStatusCode.Accepted; attempt++)
        {
            await Task.Delay(200);
            using var answer = await collector.SendAsync($"after-lag-{Guid.NewGuid():N}", [CollectorClient.Message(attempt)]);
            status = answer.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Accepted, status);
    }

    [Fact]
    public async Task Refused_batches_are_recorded_as_ingestion_jobs()
    {
        using var collector = await CollectorClient.RegisterAsync(stack.App);
        using var admin = stack.App.CreateAdminClient();
        var session = $"refused-{Guid.NewGuid():N}";
        (await collector.SendAsync(session, [new { type = "nonsense", emitted_at = "2026-11-01T00:00:00Z", data = new { } }])).Dispose();

        JsonElement jobs = default;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            using var response = await admin.GetAsync($"/api/ingestion/jobs?workspace_id={collector.WorkspaceId}&outcome=refused");
            jobs = (await CollectorClient.ReadJsonAsync(response)).GetProperty("items");
            if (jobs.GetArrayLength() > 0)
            {
                break;
            }

            await Task.Delay(200);
        }

        var job = Assert.Single(jobs.EnumerateArray());
        Assert.Equal(422, job.GetProperty("http_status").GetInt32());
        Assert.Equal(session, job.GetProperty("session_id").GetString());
        Assert.Equal(collector.CollectorId, job.GetProperty("collector_id").GetGuid());
    }
}
