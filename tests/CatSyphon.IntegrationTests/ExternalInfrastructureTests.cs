using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CatSyphon.IntegrationTests;

/// <summary>
/// <c>Infrastructure:Mode=external</c> run for real: the app host starts no PostgreSQL or Redis and its services work
/// against servers it was only given connection strings to (here another stack's, as production gives managed ones).
/// </summary>
public sealed class ExternalInfrastructureTests
{
    [Fact]
    public async Task External_mode_runs_every_service_against_servers_the_app_host_did_not_start()
    {
        await using var servers = await CatSyphonApp.StartHealthyAsync();
        var database = await servers.GetConnectionStringAsync(ResourceNames.Database);
        var redis = await servers.GetConnectionStringAsync(ResourceNames.Redis);

        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.CatSyphon_AppHost>(
        [
            "Infrastructure:Mode=external",
            $"ConnectionStrings:{ResourceNames.Database}={database}",
            $"ConnectionStrings:{ResourceNames.Redis}={redis}",
            $"Parameters:{ResourceNames.AdminToken}={servers.AdminToken}",
        ]);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        await using var app = await builder.BuildAsync();
        using var timeout = new CancellationTokenSource(CatSyphonApp.StartTimeout);
        await app.StartAsync(timeout.Token);

        // Healthy means ready (/ready checks PostgreSQL and Redis), and the API and worker start only after the
        // migration step completed against the external database.
        foreach (var service in new[] { ResourceNames.Api, ResourceNames.Worker, ResourceNames.Web })
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(service, timeout.Token);
        }

        // What the external app's API reads is what the other stack wrote: the same database.
        using var first = servers.CreateAdminClient();
        using var second = app.CreateHttpClient(ResourceNames.Api);
        second.DefaultRequestHeaders.Authorization = new("Bearer", servers.AdminToken);
        Assert.Equal(
            await first.GetStringAsync("/api/workspaces", timeout.Token),
            await second.GetStringAsync("/api/workspaces", timeout.Token));
    }
}
