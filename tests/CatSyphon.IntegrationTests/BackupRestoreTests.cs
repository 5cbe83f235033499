namespace CatSyphon.IntegrationTests;

/// <summary>
/// Disaster recovery end to end, on a stack of its own: push a generated tree, back up, push more (new sessions and
/// sessions that grew), restore the older backup, push again: the server's token totals equal the parsers' over the
/// whole tree and no event is stored twice. With scripts/restore.sh; with a plain pg_restore and a restart, Redis kept
/// (the server must notice the restore by itself); and the same with Redis lost (sessions are seeded from PostgreSQL).
/// </summary>
public sealed class BackupRestoreTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly DirectoryInfo home = Directory.CreateTempSubdirectory("catsyphon-restore-");
    private CatSyphonApp? app;

    private CatSyphonApp App => app ?? throw new InvalidOperationException("Not started.");

    private string Projects => Path.Combine(home.FullName, "projects");

    public async Task InitializeAsync() => app = await CatSyphonApp.StartAsync();

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }

        home.Delete(recursive: true);
    }

    [Fact]
    public Task The_restore_script_and_a_push_bring_back_everything_the_restore_lost() =>
        RunAsync(async backup => await ScriptAsync("restore.sh", backup));

    [Fact]
    public Task A_plain_pg_restore_and_a_restart_are_noticed_and_a_push_brings_back_everything() =>
        RunAsync(backup => PlainRestoreAndRestartAsync(backup, loseRedis: false));

    [Fact]
    public Task A_plain_pg_restore_with_redis_lost_is_seeded_from_postgresql_and_a_push_brings_back_everything() =>
        RunAsync(backup => PlainRestoreAndRestartAsync(backup, loseRedis: true));

    private async Task PlainRestoreAndRestartAsync(string backup, bool loseRedis)
    {
        await PsqlAsync("postgres", "-c", "DROP DATABASE catsyphon WITH (FORCE)", "-c", "CREATE DATABASE catsyphon");
        await RunProcessAsync("pg_restore", ["--no-owner", "-d", "catsyphon", Path.Combine(backup, "catsyphon.dump")]);
        if (loseRedis)
        {
            using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(
                await App.GetConnectionStringAsync(ResourceNames.Redis) + ",allowAdmin=true");
            await redis.GetServers().Single().FlushAllDatabasesAsync();
        }

        app = await App.RestartAsync();
        await App.WaitForHealthyAsync(ResourceNames.Api);

        // The restarted API listens on a new port: the collector follows it, as a developer's would.
        var credentials = new CredentialStore(new CollectorHome(home.FullName));
        var stored = await credentials.LoadAsync(CancellationToken.None);
        await credentials.SaveAsync(stored! with { ServerUrl = ServerUrl }, CancellationToken.None);
    }

    private async Task RunAsync(Func<string, Task> restore)
    {
        var clock = Stopwatch.StartNew();
        var workspace = await CollectorClient.CreateWorkspaceAsync(App);
        Assert.Equal(0, (await CollectorAsync("register", "--server", ServerUrl, "--workspace", workspace.ToString(), "--token", App.AdminToken)).Exit);
        var tree = new GeneratedTree(Projects);
        tree.Write(sessions: 12, linesEach: 120);
        var before = await PushAndWaitAsync(workspace);

        var backup = Path.Combine(home.FullName, "backup");
        await ScriptAsync("backup.sh", backup);
        tree.Write(sessions: 6, linesEach: 120);
        tree.Grow(sessions: 6, linesEach: 80);
        var after = await PushAndWaitAsync(workspace);

        await restore(backup);
        // The restore dropped the database under this test's pooled connections: a pooled one would be refused (57P01).
        NpgsqlConnection.ClearAllPools();
        var lost = await StoredEventsAsync(workspace);
        Assert.Equal(before.Events, lost);

        // The collector's own state says everything was sent: the server's answers make it resend what it lost.
        var final = await PushAndWaitAsync(workspace);
        Assert.Equal(after, final);
        Assert.Equal(final.Events, await StoredEventsAsync(workspace));
        Assert.Equal(0L, await ScalarAsync("""
            SELECT count(*) FROM conversations c
            WHERE c.workspace_id = $1 AND (c.persisted_sequence <> c.event_count
                  OR c.event_count <> (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id))
            """, workspace));
        output.WriteLine($"{final.Sessions} sessions, {final.Events} events ({before.Events} in the backup, {after.Events - before.Events} lost " +
                         $"by the restore and resent), {final.Tokens} tokens; {clock.Elapsed.TotalSeconds:F1} s");
    }

    private sealed record Totals(long Sessions, long Events, long Tokens);

    /// <summary>Pushes the tree and waits until the server's token total equals the scan's; returns the scan's totals.</summary>
    private async Task<Totals> PushAndWaitAsync(Guid workspace)
    {
        var push = await CollectorAsync("push", Projects);
        Assert.True(push.Exit == 0, push.Errors);
        var scan = await CollectorAsync("scan", Projects, "--json");
        using var scanned = JsonDocument.Parse(scan.Output);
        var totals = new Totals(
            scanned.RootElement.GetProperty("sessions").GetInt64(),
            scanned.RootElement.GetProperty("events").GetInt64(),
            scanned.RootElement.GetProperty("tokens").GetProperty("total").GetInt64());
        using var admin = App.CreateAdminClient();
        await Poll.UntilAsync(async () =>
                (await CollectorClient.ReadJsonAsync(await admin.GetAsync($"/api/stats/tokens?workspace_id={workspace}&group_by=day")))
                .GetProperty("totals").GetProperty("total").GetInt64() == totals.Tokens
                && await StoredEventsAsync(workspace) == totals.Events,
            TimeSpan.FromSeconds(120), "the server's totals to equal the scan's");
        return totals;
    }

    private async Task<long> StoredEventsAsync(Guid workspace) => await ScalarAsync(
        "SELECT count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.workspace_id = $1", workspace);

    private async Task<long> ScalarAsync(string sql, params object[] values) =>
        (long)(await CompatibilityWire.QueryAsync(App, sql, values)).Single().Values.Single()!;

    private string ServerUrl => App.BaseUrl(ResourceNames.Api);

    private Task<(int Exit, string Output, string Errors)> CollectorAsync(params string[] args) => CollectorCli.RunAsync(home.FullName, args);

    private Task ScriptAsync(string script, string argument) =>
        RunProcessAsync("bash", [Path.Combine(RepositoryRoot.Path, "scripts", script), argument]);

    private Task PsqlAsync(params string[] args) => RunProcessAsync("psql", ["-q", "-d", .. args]);

    /// <summary>Runs a program against this app's servers (the scripts find the ports from the data folder).</summary>
    private async Task RunProcessAsync(string program, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["CATSYPHON_DATA_DIR"] = App.DataDirectory;
        start.Environment["PGPASSWORD"] = App.Secrets.PostgresPassword;
        start.Environment["PGHOST"] = "127.0.0.1";
        start.Environment["PGUSER"] = "postgres";
        if (program != "bash")
        {
            // The scripts find the port themselves from the data folder's running server.
            start.Environment["PGPORT"] = new Npgsql.NpgsqlConnectionStringBuilder(await App.GetConnectionStringAsync(ResourceNames.Database)).Port.ToString();
        }

        using var process = Process.Start(start)!;
        var standardOutput = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        output.WriteLine($"{program} {string.Join(' ', start.ArgumentList)}: {await standardOutput}{await errors}");
        Assert.True(process.ExitCode == 0, $"{program} failed: {await errors}");
    }
}
