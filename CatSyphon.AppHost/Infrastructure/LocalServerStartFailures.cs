using System.Text.RegularExpressions;
using Microsoft.Extensions.Hosting;
using static CatSyphon.AppHost.Infrastructure.LocalServerStartException;

namespace CatSyphon.AppHost.Infrastructure;

/// <summary>
/// A local server that cannot start leaves everything that waits for it waiting forever. So the first such
/// failure is told where people look (stderr, and the resource's state and log on the dashboard) and the app
/// host stops, with <see cref="ExitCode"/> for scripts and CI.
/// </summary>
internal sealed class LocalServerStartFailures
{
    public const int ExitCode = 1;

    private int failed;

    public bool Failed => Volatile.Read(ref failed) == 1;

    /// <param name="name">The resource that cannot start; it and the resources on it (a server's databases) are marked failed.</param>
    public async Task ReportAsync(IServiceProvider services, string name, LocalServerStartException failure)
    {
        var lifetime = services.GetRequiredService<IHostApplicationLifetime>();

        // Stopping ends servers that were still starting, which is no failure of theirs; and only the first failure is the cause.
        if (lifetime.ApplicationStopping.IsCancellationRequested || Interlocked.Exchange(ref failed, 1) == 1)
        {
            return;
        }

        await Console.Error.WriteLineAsync(
            $"CatSyphon's app host stops: {name} cannot start.{Environment.NewLine}" +
            $"  Reason: {failure.Reason}{Environment.NewLine}" +
            $"  Fix: {failure.Fix}");

        var notifications = services.GetRequiredService<ResourceNotificationService>();
        var resourceLogs = services.GetRequiredService<ResourceLoggerService>();
        var failedToStart = new ResourceStateSnapshot(KnownResourceStates.FailedToStart, KnownResourceStateStyles.Error);
        var affected = services.GetRequiredService<DistributedApplicationModel>().Resources
            .Where(resource => resource.Name == name || resource is IResourceWithParent child && child.Parent.Name == name);
        foreach (var resource in affected)
        {
            var logger = resourceLogs.GetLogger(resource);
            logger.LogError("{Resource} cannot start: {Reason}", name, failure.Reason);
            logger.LogError("Fix: {Fix}", failure.Fix);
            await notifications.PublishUpdateAsync(resource, snapshot => snapshot with { State = failedToStart });
        }

        lifetime.StopApplication();
    }
}

internal static partial class LocalServerStartFailureExtensions
{
    private const string HostLogCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    private static readonly TimeSpan LogSettleTime = TimeSpan.FromMilliseconds(500);

    /// <summary>Runs the app until it stops; 0 unless a local server could not start.</summary>
    public static int RunToExitCode(this DistributedApplication app)
    {
        var startFailures = app.Services.GetService<LocalServerStartFailures>();
        try
        {
            app.Run();
        }
        catch (OperationCanceledException) when (startFailures is { Failed: true })
        {
            // The failure stopped the app while it was still starting; its reason is already printed.
        }

        return startFailures is { Failed: true } ? LocalServerStartFailures.ExitCode : 0;
    }

    /// <summary>
    /// Runs <paramref name="prepare"/> (checks and set-up) before each start, and stops the app host when it fails
    /// or when the server exits before it was ever ready; <paramref name="fixFor"/> reads the server's output.
    /// </summary>
    public static IResourceBuilder<T> StopsTheAppHostWhenItCannotStart<T>(
        this IResourceBuilder<T> server, string product, Func<IServiceProvider, CancellationToken, Task> prepare, Func<string, string> fixFor)
        where T : ExecutableResource
    {
        var eventing = server.ApplicationBuilder.Eventing;
        var resource = server.Resource;
        var failures = server.ApplicationBuilder.AddLocalServerStartFailures();
        var ready = 0;

        eventing.Subscribe<BeforeResourceStartedEvent>(resource, async (@event, cancellationToken) =>
        {
            try
            {
                await prepare(@event.Services, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                var failure = exception as LocalServerStartException
                    ?? new LocalServerStartException($"{product} could not be set up: {exception.Message}", fixFor(exception.Message), exception);
                await failures.ReportAsync(@event.Services, resource.Name, failure);

                // Thrown on, so that the orchestrator does not start the server either.
                throw;
            }
        });

        eventing.Subscribe<ResourceReadyEvent>(resource, (_, _) =>
        {
            Volatile.Write(ref ready, 1);
            return Task.CompletedTask;
        });

        eventing.Subscribe<ResourceStoppedEvent>(resource, async (@event, cancellationToken) =>
        {
            // Once it has been ready, a stop is the dashboard's stop command or the app host's shutdown.
            if (Volatile.Read(ref ready) == 1)
            {
                return;
            }

            var output = await ReadLogAsync(@event.Services.GetRequiredService<ResourceLoggerService>(), @event.ResourceEvent.ResourceId, cancellationToken);
            var exitCode = @event.ResourceEvent.Snapshot.ExitCode is { } code ? $" with exit code {code}" : "";
            await failures.ReportAsync(@event.Services, resource.Name, new LocalServerStartException(
                $"{product} exited{exitCode} while starting. Its last lines:{Environment.NewLine}{LastLines(output)}",
                fixFor(output)));
        });

        return server;
    }

    /// <summary>One record of start failures per app host, and the host's own start-up log quiet once one stopped it.</summary>
    public static LocalServerStartFailures AddLocalServerStartFailures(this IDistributedApplicationBuilder builder)
    {
        if (builder.Services.FirstOrDefault(service => service.ServiceType == typeof(LocalServerStartFailures))?.ImplementationInstance
            is LocalServerStartFailures existing)
        {
            return existing;
        }

        var failures = new LocalServerStartFailures();
        builder.Services.AddSingleton(failures);

        // Stopped on purpose while still starting, the host logs the cancelled start with a stack trace that would bury the reason.
        builder.Services.AddLogging(logging => logging.AddFilter(HostLogCategory, level => level >= LogLevel.Information && !failures.Failed));
        return failures;
    }

    /// <summary>The server's console output as the orchestrator captured it; the last lines may arrive just after the exit.</summary>
    private static async Task<string> ReadLogAsync(ResourceLoggerService resourceLogs, string resourceId, CancellationToken cancellationToken)
    {
        await Task.Delay(LogSettleTime, cancellationToken);
        var lines = new List<string>();
        await foreach (var batch in resourceLogs.GetAllAsync(resourceId).WithCancellation(cancellationToken))
        {
            // The orchestrator's own "[sys]" lines say how it started the process, not why it stopped.
            lines.AddRange(batch
                .Select(line => LogTimestamp().Replace(line.Content, ""))
                .Where(line => !line.StartsWith("[sys]", StringComparison.Ordinal)));
        }

        return string.Join('\n', lines);
    }

    /// <summary>The timestamp the orchestrator puts before each captured line.</summary>
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T[0-9:.]+Z ")]
    private static partial Regex LogTimestamp();
}
