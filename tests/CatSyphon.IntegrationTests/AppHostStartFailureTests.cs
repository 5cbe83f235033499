using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CatSyphon.IntegrationTests;

/// <summary>
/// A local server that cannot start stops the app host within seconds, saying why and what to do, rather than
/// leaving it waiting for ever (issue 10, point 10). Each test runs the real app host.
/// </summary>
public sealed class AppHostStartFailureTests : IAsyncLifetime
{
    /// <summary>Starting the app host with dotnet run takes 10-60 s on two busy cores; waiting for ever is what failed.</summary>
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(120);

    /// <summary>From saying why to exiting: the servers that did start are stopped on the way out (about 4 s measured).</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    private readonly List<string> folders = [];

    [Fact]
    public async Task A_data_folder_the_postgres_user_cannot_enter_stops_the_app_host_with_the_folder_and_the_fix()
    {
        // Like a data folder under root's home: the app host (root) can create it, PostgreSQL ('postgres') cannot reach it.
        var closed = NewDataFolder();
        File.SetUnixFileMode(closed, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var run = await AppHostProcess.RunAsync(Path.Combine(closed, "data"), ExitTimeout);

        AssertStoppedWithFailure(run, ResourceNames.Postgres);
        Assert.Contains(closed, run.Output);
        Assert.Contains("Infrastructure__DataDirectory", run.Output);
        if (Environment.IsPrivilegedProcess)
        {
            // CI runs as root, where PostgreSQL runs as the 'postgres' user.
            Assert.Contains($"'postgres' user, which cannot enter {closed}", run.Output);
            Assert.Contains($"chmod o+x {closed}", run.Output);
        }
    }

    [Theory]
    // Made by another major version: both versions are named.
    [InlineData("PG_VERSION", "9\n", new[] { "was made by PostgreSQL 9, but the server here", "pg_upgrade" })]
    // Files but no PG_VERSION: initdb refuses a folder that is not empty.
    [InlineData("notes.txt", "not a database", new[] { "initdb could not create a PostgreSQL data folder", "exists but is not empty", "move them out of" })]
    public async Task A_postgres_folder_of_another_major_version_or_one_initdb_refuses_stops_the_app_host_with_the_reason_and_the_fix(
        string file, string content, string[] reason)
    {
        var dataDirectory = await DataFolderWithPostgresFileAsync(file, content);

        var run = await AppHostProcess.RunAsync(dataDirectory, ExitTimeout);

        AssertStoppedWithFailure(run, ResourceNames.Postgres);
        Assert.All(reason, line => Assert.Contains(line, run.Output));
    }

    [Fact]
    public async Task A_redis_that_exits_while_starting_stops_the_app_host_with_its_last_lines_and_the_fix()
    {
        // A truncated append-only file: redis-server starts, fails to load it and exits.
        var appendOnly = Path.Combine(NewDataFolder(), ResourceNames.Redis, "appendonlydir");
        Directory.CreateDirectory(appendOnly);
        await File.WriteAllTextAsync(Path.Combine(appendOnly, "appendonly.aof.manifest"),
            "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n");
        await File.WriteAllTextAsync(Path.Combine(appendOnly, "appendonly.aof.1.base.rdb"), "REDIS0010");
        await File.WriteAllTextAsync(Path.Combine(appendOnly, "appendonly.aof.1.incr.aof"), "*3\r\n$3\r\nSET\r\n$1\r\na\r\n$5\r\nbro");

        var run = await AppHostProcess.RunAsync(Path.GetDirectoryName(Path.GetDirectoryName(appendOnly))!, ExitTimeout);

        AssertStoppedWithFailure(run, ResourceNames.Redis);
        Assert.Contains("Redis exited with exit code 1 while starting. Its last lines:", run.Output);
        Assert.Contains("redis-check-aof --fix", run.Output);
    }

    [Theory]
    [InlineData("Infrastructure__PostgresBinDirectory", "/nonexistent/postgresql/bin", ResourceNames.Postgres, "PostgreSQL's initdb program is not at /nonexistent/postgresql/bin/initdb.")]
    [InlineData("Infrastructure__RedisServer", "/nonexistent/redis-server", ResourceNames.Redis, "Redis's server program '/nonexistent/redis-server' is not installed")]
    public async Task A_missing_server_program_stops_the_app_host_with_how_to_install_it(string setting, string value, string resource, string reason)
    {
        var run = await AppHostProcess.RunAsync(NewDataFolder(), ExitTimeout, new Dictionary<string, string> { [setting] = value });

        AssertStoppedWithFailure(run, resource);
        Assert.Contains(reason, run.Output);
        Assert.Contains("bash scripts/prerequisites.sh", run.Output);
        Assert.Contains(setting, run.Output);
    }

    [Fact]
    public async Task A_taken_dashboard_port_stops_the_app_host_naming_the_process_that_holds_it()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        var run = await AppHostProcess.RunAsync(NewDataFolder(), ExitTimeout,
            new Dictionary<string, string> { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" });

        AssertStoppedWithFailure(run, "aspire-dashboard");
        Assert.Contains($"Port {port}, where aspire-dashboard listens, is taken by", run.Output);
        Assert.Contains($"(pid {Environment.ProcessId})", run.Output);
        Assert.Contains($"kill {Environment.ProcessId}", run.Output);
    }

    [Fact]
    public async Task On_the_dashboard_the_server_and_its_database_fail_to_start_with_the_reason_in_their_logs()
    {
        var dataDirectory = await DataFolderWithPostgresFileAsync("PG_VERSION", "garbage\n");
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.CatSyphon_AppHost>(
            [
                "Infrastructure:Mode=local", $"Infrastructure:DataDirectory={dataDirectory}",
                "Parameters:postgres-password=" + Guid.NewGuid().ToString("N"),
                "Parameters:redis-password=" + Guid.NewGuid().ToString("N"),
                "Parameters:admin-token=" + Guid.NewGuid().ToString("N"),
            ]);
        await using var app = await builder.BuildAsync();
        using var timeout = new CancellationTokenSource(CatSyphonApp.StartTimeout);
        // Taken before the start: once the app host has stopped, its services are gone.
        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
        var resourceLogs = app.Services.GetRequiredService<ResourceLoggerService>();
        var stopping = app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var resources = app.Services.GetRequiredService<DistributedApplicationModel>().Resources;
        var postgresFailed = FailedToStartAsync(ResourceNames.Postgres);
        var databaseFailed = FailedToStartAsync(ResourceNames.Database);

        var start = app.StartAsync(timeout.Token);
        var failed = await Task.WhenAll(postgresFailed, databaseFailed);
        Assert.All(failed, Assert.True);

        foreach (var name in new[] { ResourceNames.Postgres, ResourceNames.Database })
        {
            var log = await LogAsync(resourceLogs, resources.Single(resource => resource.Name == name));
            Assert.Contains("its PG_VERSION file holds 'garbage' instead of a version number", log);
            Assert.Contains($"Fix: move {Path.Combine(dataDirectory, ResourceNames.Postgres)} away", log);
        }

        try
        {
            await start;
        }
        catch (OperationCanceledException) when (!timeout.IsCancellationRequested)
        {
            // The failure stops the app while it is still starting.
        }

        Assert.True(stopping.IsCancellationRequested, "the app host keeps running");

        // A wait can end with the app host's own stop, which the failure triggers right after marking the resources:
        // then the state they were left in tells.
        async Task<bool> FailedToStartAsync(string name)
        {
            try
            {
                await notifications.WaitForResourceAsync(name, KnownResourceStates.FailedToStart, timeout.Token);
                return true;
            }
            catch (OperationCanceledException) when (!timeout.IsCancellationRequested)
            {
                return notifications.TryGetCurrentState(name, out var current) && current.Snapshot.State?.Text == KnownResourceStates.FailedToStart;
            }
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>The servers that did start may still be closing their files when the app host has exited.</summary>
    public async Task DisposeAsync()
    {
        foreach (var folder in folders)
        {
            await DataFolderProcesses.DeleteFolderAsync(folder);
        }
    }

    /// <summary>Exited by itself, with exit code 1, saying which resource cannot start and the fix, on stderr.</summary>
    private static void AssertStoppedWithFailure(AppHostProcess run, string resource)
    {
        Assert.True(run.ExitCode is not null, $"the app host still ran after {ExitTimeout.TotalSeconds} s:\n{run.Output}");
        Assert.True(run.ExitCode == 1, $"exit code {run.ExitCode}:\n{run.Output}");
        Assert.True(run.SinceReport < StopTimeout, $"exited {run.SinceReport?.TotalSeconds:0.0} s after the report:\n{run.Output}");
        Assert.Contains($"CatSyphon's app host stops: {resource} cannot start.", run.Output);
        Assert.Contains("  Fix: ", run.Output);
        // The host's own report of the cancelled start, a stack trace, would bury the reason: it is left out.
        Assert.DoesNotContain("Hosting failed to start", run.Output);
    }

    /// <summary>What was written to the resource's log on the dashboard (the first batch; the rest is the process's console).</summary>
    private static async Task<string> LogAsync(ResourceLoggerService resourceLogs, IResource resource)
    {
        await foreach (var batch in resourceLogs.GetAllAsync(resource))
        {
            return string.Join('\n', batch.Select(line => line.Content));
        }

        return "";
    }

    /// <summary>A new data folder for the app host, deleted after the test.</summary>
    private string NewDataFolder()
    {
        var folder = AppHostProcess.NewDataDirectory();
        folders.Add(folder);
        return folder;
    }

    /// <summary>A new data folder whose PostgreSQL folder already holds <paramref name="file"/>.</summary>
    private async Task<string> DataFolderWithPostgresFileAsync(string file, string content)
    {
        var dataDirectory = NewDataFolder();
        Directory.CreateDirectory(Path.Combine(dataDirectory, ResourceNames.Postgres));
        await File.WriteAllTextAsync(Path.Combine(dataDirectory, ResourceNames.Postgres, file), content);
        return dataDirectory;
    }
}
