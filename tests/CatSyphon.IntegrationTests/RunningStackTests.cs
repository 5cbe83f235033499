namespace CatSyphon.IntegrationTests;

/// <summary>The whole stack, started as a developer's F5 would (local mode), answers as documented.</summary>
[Collection(RunningStackCollection.Name)]
public sealed class RunningStackTests(RunningStackFixture stack)
{
    private CatSyphonApp App => stack.App;

    [Fact]
    public void Every_resource_is_healthy_and_the_migration_step_completed()
    {
        foreach (var resource in CatSyphonApp.AllResources)
        {
            Assert.True(App.Application.ResourceNotifications.TryGetCurrentState(resource, out var state), $"{resource} has no state");
            Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, state.Snapshot.HealthStatus);
        }

        Assert.True(App.Application.ResourceNotifications.TryGetCurrentState(ResourceNames.Migrations, out var migrations));
        Assert.Equal(KnownResourceStates.Finished, migrations.Snapshot.State?.Text);
        Assert.Equal(0, migrations.Snapshot.ExitCode);
    }

    [Fact]
    public async Task PostgreSQL_runs_with_the_tuning()
    {
        await using var connection = new NpgsqlConnection(await App.GetConnectionStringAsync(ResourceNames.Database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT name || '=' || current_setting(name) FROM unnest(@names) AS name ORDER BY name", connection);
        command.Parameters.AddWithValue("names", new[] { "effective_cache_size", "max_connections", "shared_buffers", "work_mem" });
        var settings = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                settings.Add(reader.GetString(0));
            }
        }

        Assert.Equal(["effective_cache_size=4GB", "max_connections=200", "shared_buffers=256MB", "work_mem=16MB"], settings);
    }

    [Theory]
    [InlineData(ResourceNames.Api)]
    [InlineData(ResourceNames.Worker)]
    public async Task Liveness_and_readiness_answer_200_with_small_json(string resource)
    {
        using var client = App.CreateHttpClient(resource);

        using var liveness = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, liveness.StatusCode);
        Assert.Equal("application/json", liveness.Content.Headers.ContentType?.MediaType);
        using var livenessBody = JsonDocument.Parse(await liveness.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", livenessBody.RootElement.GetProperty("status").GetString());

        using var readiness = await client.GetAsync("/ready");
        Assert.Equal(HttpStatusCode.OK, readiness.StatusCode);
        var readinessText = await readiness.Content.ReadAsStringAsync();
        using var readinessBody = JsonDocument.Parse(readinessText);
        var checks = readinessBody.RootElement.GetProperty("checks").EnumerateObject().ToDictionary(check => check.Name, check => check.Value.GetString());
        // The database and Redis checks are what readiness is for.
        Assert.Contains(checks, check => check.Key.Contains("Npgsql", StringComparison.OrdinalIgnoreCase) || check.Key.Contains("DbContext", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(checks, check => check.Key.Contains("redis", StringComparison.OrdinalIgnoreCase));
        Assert.All(checks.Values, status => Assert.Equal("Healthy", status));
        Assert.DoesNotContain("password", readinessText, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_migrations_created_the_schema()
    {
        await using var connection = new NpgsqlConnection(await App.GetConnectionStringAsync(ResourceNames.Database));
        await connection.OpenAsync();

        await using var tablesCommand = new NpgsqlCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'", connection);
        var tables = new HashSet<string>();
        await using (var reader = await tablesCommand.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        string[] expected =
        [
            "organizations", "workspaces", "enrollment_tokens", "collectors", "projects", "developers",
            "conversations", "messages", "tool_calls", "files_touched", "plans", "plan_versions",
            "ingestion_jobs", "audit_log", "__EFMigrationsHistory",
        ];
        Assert.All(expected, table => Assert.Contains(table, tables));

        await using var historyCommand = new NpgsqlCommand("SELECT count(*) FROM \"__EFMigrationsHistory\"", connection);
        Assert.True((long)(await historyCommand.ExecuteScalarAsync())! >= 1);
    }

    [Fact]
    public async Task Redis_keeps_an_append_only_file_synced_every_second()
    {
        var options = ConfigurationOptions.Parse(await App.GetConnectionStringAsync(ResourceNames.Redis));
        options.AllowAdmin = true;
        await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
        var server = redis.GetServer(redis.GetEndPoints()[0]);

        Assert.Equal("yes", (await server.ConfigGetAsync("appendonly")).Single().Value);
        Assert.Equal("everysec", (await server.ConfigGetAsync("appendfsync")).Single().Value);
    }

    [Fact]
    public async Task The_web_front_end_shows_that_the_api_is_ready()
    {
        using var client = App.CreateHttpClient(ResourceNames.Web);

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("API ready", page);
    }
}
