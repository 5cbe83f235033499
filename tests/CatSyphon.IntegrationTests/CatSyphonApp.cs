using Aspire.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CatSyphon.IntegrationTests;

/// <summary>
/// The whole app host started in local mode (the machine's PostgreSQL and redis-server) with a
/// throw-away data folder, deleted again when the app is disposed.
/// </summary>
public sealed class CatSyphonApp : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(180);

    public static readonly string[] AllResources =
    [
        ResourceNames.Postgres, ResourceNames.Database, ResourceNames.Redis,
        ResourceNames.Api, ResourceNames.Worker, ResourceNames.Web,
    ];

    /// <summary>The app host's projects, which all share the service defaults (and so the log file settings).</summary>
    public static readonly string[] ServiceResources = [ResourceNames.Migrations, ResourceNames.Api, ResourceNames.Worker, ResourceNames.Web];

    private CatSyphonApp(DistributedApplication application, string dataDirectory, string adminToken, StackSecrets secrets)
    {
        Application = application;
        DataDirectory = dataDirectory;
        AdminToken = adminToken;
        Secrets = secrets;
    }

    /// <summary>The passwords this app's PostgreSQL and Redis were given.</summary>
    public sealed record StackSecrets(string PostgresPassword, string RedisPassword);

    public DistributedApplication Application { get; }

    public string DataDirectory { get; }

    public string AdminToken { get; }

    public StackSecrets Secrets { get; }

    /// <param name="apiSettings">Configuration the API gets on top of its own (e.g. <c>Ingest__MaxLag</c>).</param>
    /// <param name="appHostSettings">
    /// The app host's own configuration (e.g. <c>Oidc:Authority</c>, which it passes on, or <c>Scale:WorkerReplicas</c>).
    /// </param>
    /// <param name="serviceSettings">
    /// Configuration every service gets (migrations, API, worker, web). By default their log files go to <c>logs</c> in the
    /// app's data folder, deleted with it, rather than to the machine's log folder.
    /// </param>
    public static Task<CatSyphonApp> StartAsync(
        IReadOnlyDictionary<string, string>? apiSettings = null, CancellationToken cancellationToken = default,
        IReadOnlyDictionary<string, string>? appHostSettings = null, IReadOnlyDictionary<string, string>? serviceSettings = null)
    {
        // Under /tmp rather than a private temporary folder: as root, PostgreSQL runs as 'postgres' and must reach it.
        var dataDirectory = Path.Combine("/tmp", $"catsyphon-test-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dataDirectory);
        File.SetUnixFileMode(dataDirectory, (UnixFileMode)0b111_101_101);
        var adminToken = Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");
        var secrets = new StackSecrets(Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("N"));
        return StartAsync(dataDirectory, adminToken, secrets, apiSettings, cancellationToken, appHostSettings, serviceSettings);
    }

    /// <summary>Starts the app and waits until every resource is healthy (a test's own stack, or a fixture's).</summary>
    public static async Task<CatSyphonApp> StartHealthyAsync(
        IReadOnlyDictionary<string, string>? apiSettings = null, IReadOnlyDictionary<string, string>? appHostSettings = null,
        IReadOnlyDictionary<string, string>? serviceSettings = null)
    {
        var app = await StartAsync(apiSettings, appHostSettings: appHostSettings, serviceSettings: serviceSettings);
        try
        {
            await app.WaitForAllHealthyAsync();
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops this app but keeps its data folder, and starts it again on the same data (a service restart).</summary>
    public async Task<CatSyphonApp> RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync();
        return await StartAsync(DataDirectory, AdminToken, Secrets, null, cancellationToken);
    }

    private static async Task<CatSyphonApp> StartAsync(string dataDirectory, string adminToken, StackSecrets secrets,
        IReadOnlyDictionary<string, string>? apiSettings, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? appHostSettings = null, IReadOnlyDictionary<string, string>? serviceSettings = null)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.CatSyphon_AppHost>(
            [
                "Infrastructure:Mode=local",
                $"Infrastructure:DataDirectory={dataDirectory}",
                // Each test app gets its own secrets: nothing is read from or written to user secrets.
                "Parameters:postgres-password=" + secrets.PostgresPassword,
                "Parameters:redis-password=" + secrets.RedisPassword,
                "Parameters:admin-token=" + adminToken,
                .. (appHostSettings ?? new Dictionary<string, string>()).Select(setting => $"{setting.Key}={setting.Value}"),
            ],
            cancellationToken);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        var everyService = new Dictionary<string, string> { ["Logs__Directory"] = Path.Combine(dataDirectory, "logs") };
        foreach (var (name, value) in serviceSettings ?? new Dictionary<string, string>())
        {
            everyService[name] = value;
        }

        foreach (var service in ServiceResources)
        {
            var project = builder.CreateResourceBuilder<ProjectResource>(service);
            foreach (var (name, value) in everyService)
            {
                project.WithEnvironment(name, value);
            }
        }

        var api = builder.CreateResourceBuilder<ProjectResource>(ResourceNames.Api);
        foreach (var (name, value) in apiSettings ?? new Dictionary<string, string>())
        {
            api.WithEnvironment(name, value);
        }

        var application = await builder.BuildAsync(cancellationToken);
        var app = new CatSyphonApp(application, dataDirectory, adminToken, secrets);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(StartTimeout);
            await application.StartAsync(timeout.Token);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    public Task WaitForHealthyAsync(string resource, CancellationToken cancellationToken = default)
    {
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        return Application.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token)
            .ContinueWith(task => { timeout.Dispose(); return task; }, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Stops one resource, starts it again and waits until it is healthy (a process restart, as an operator does).</summary>
    public async Task RestartResourceAsync(string resource)
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        await ExecuteCommandAsync(resource, KnownResourceCommands.StopCommand);
        await Application.ResourceNotifications.WaitForResourceAsync(resource, KnownResourceStates.TerminalStates, timeout.Token);
        await ExecuteCommandAsync(resource, KnownResourceCommands.StartCommand);
        // The stop left a terminal state behind: wait through it rather than stop at it.
        await Application.ResourceNotifications.WaitForResourceHealthyAsync(resource, WaitBehavior.WaitOnResourceUnavailable, timeout.Token);
    }

    public async Task WaitForAllHealthyAsync(CancellationToken cancellationToken = default) =>
        await Task.WhenAll(AllResources.Select(resource => WaitForHealthyAsync(resource, cancellationToken)));

    public HttpClient CreateHttpClient(string resource) => Application.CreateHttpClient(resource);

    /// <summary>Runs a resource command (stop, start, ...) on the dashboard's behalf; it must succeed.</summary>
    public async Task ExecuteCommandAsync(string resource, string command)
    {
        var result = await Application.ResourceCommands.ExecuteCommandAsync(resource, command);
        Assert.True(result.Success, $"{command} {resource}: {result.Message}");
    }

    /// <summary>A service's address as a developer is given it: the base address without its trailing slash.</summary>
    public string BaseUrl(string resource)
    {
        using var http = CreateHttpClient(resource);
        return http.BaseAddress!.ToString().TrimEnd('/');
    }

    /// <summary>An API client that sends the admin token.</summary>
    public HttpClient CreateAdminClient()
    {
        var client = CreateHttpClient(ResourceNames.Api);
        client.DefaultRequestHeaders.Authorization = new("Bearer", AdminToken);
        return client;
    }

    public async Task<string> GetConnectionStringAsync(string resource) =>
        await Application.GetConnectionStringAsync(resource)
        ?? throw new InvalidOperationException($"{resource} has no connection string.");

    /// <summary>The processes of this app's local servers (see <see cref="DataFolderProcesses"/>).</summary>
    public IReadOnlyList<int> ServerProcesses() => DataFolderProcesses.Running(DataDirectory);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await DataFolderProcesses.DeleteFolderAsync(DataDirectory);
    }

    private async Task StopAsync()
    {
        await Application.StopAsync();
        await Application.DisposeAsync();
        await DataFolderProcesses.WaitUntilExitedAsync(DataDirectory);
    }
}
