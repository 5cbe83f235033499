using System.Diagnostics;
using CatSyphon.Data;
using CatSyphon.Ingestion;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;

namespace CatSyphon.MigrationService;

/// <summary>Brings the database schema up to date once, checks Redis against it (<see cref="RestoreGuard"/>), then stops the host.</summary>
public sealed partial class DatabaseMigrator(
    IServiceProvider services,
    StackExchange.Redis.IConnectionMultiplexer redis,
    IHostApplicationLifetime lifetime,
    ILogger<DatabaseMigrator> logger) : BackgroundService
{
    /// <summary>Traced by the service defaults (every "CatSyphon.*" source is).</summary>
    public const string ActivitySourceName = "CatSyphon.Migrations";

    private static readonly ActivitySource ActivitySource = new(ActivitySourceName);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var activity = ActivitySource.StartActivity("Migrating database", ActivityKind.Client);

        try
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CatSyphonDbContext>();

            // Aspire enables retries on transient failures: each step runs as one retriable unit.
            var strategy = db.Database.CreateExecutionStrategy();

            // The app host normally creates the database; create it here otherwise (rather than letting
            // MigrateAsync find out through a logged connection error).
            var creator = db.GetService<IRelationalDatabaseCreator>();
            if (!await strategy.ExecuteAsync(creator, static (c, ct) => c.ExistsAsync(ct), stoppingToken))
            {
                LogCreatingDatabase(logger, db.Database.GetDbConnection().Database);
                await strategy.ExecuteAsync(creator, static async (c, ct) => { await c.CreateAsync(ct); return true; }, stoppingToken);
            }

            // Also the history table: EF Core logs its absence as a failed command (dotnet/efcore#37328).
            var history = db.GetService<IHistoryRepository>();
            await strategy.ExecuteAsync(history, static (h, ct) => h.CreateIfNotExistsAsync(ct), stoppingToken);

            var pending = (await strategy.ExecuteAsync(db, static (ctx, ct) => ctx.Database.GetPendingMigrationsAsync(ct), stoppingToken)).ToList();
            activity?.SetTag("catsyphon.migrations.pending", pending.Count);
            if (pending.Count == 0)
            {
                LogUpToDate(logger);
            }
            else
            {
                LogApplying(logger, pending.Count, string.Join(", ", pending));
                var stopwatch = Stopwatch.StartNew();

                // A migration may rewrite every stored event (QueryModel fills token_usages from them): on a large
                // database that takes minutes, far past the 30 s default, and a timed-out step is retried from scratch.
                db.Database.SetCommandTimeout(TimeSpan.FromHours(1));

                await strategy.ExecuteAsync(db, static (ctx, ct) => ctx.Database.MigrateAsync(ct), stoppingToken);

                LogApplied(logger, pending.Count, stopwatch.ElapsedMilliseconds);
            }

            var applied = (await strategy.ExecuteAsync(db, static (ctx, ct) => ctx.Database.GetAppliedMigrationsAsync(ct), stoppingToken)).ToList();
            LogSchemaVersion(logger, applied.LastOrDefault() ?? "(none)", applied.Count);
            activity?.SetTag("catsyphon.migrations.applied", applied.Count);

            // Before the API and the worker start: Redis may remember more than a restored PostgreSQL holds.
            var watermarks = await strategy.ExecuteAsync(db, static (ctx, ct) => ctx.Database
                .SqlQueryRaw<ShardWatermark>("SELECT shard AS \"Shard\", commits AS \"Commits\" FROM ingest_watermarks")
                .ToDictionaryAsync(w => w.Shard, w => w.Commits, ct), stoppingToken);
            var restored = await RestoreGuard.ReconcileAsync(redis, watermarks, logger);
            activity?.SetTag("catsyphon.migrations.restore_detected", restored);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            LogCancelled(logger);
            activity?.SetStatus(ActivityStatusCode.Error, "cancelled");
            Environment.ExitCode = 1;
        }
        catch (Exception ex)
        {
            LogFailed(logger, ex);
            activity?.AddException(ex);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            Environment.ExitCode = 1;
        }
        finally
        {
            lifetime.StopApplication();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema is up to date; no migration to apply")]
    private static partial void LogUpToDate(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database {Database} does not exist; creating it")]
    private static partial void LogCreatingDatabase(ILogger logger, string database);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying {Count} migration(s): {Migrations}")]
    private static partial void LogApplying(ILogger logger, int count, string migrations);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied {Count} migration(s) in {ElapsedMs} ms")]
    private static partial void LogApplied(ILogger logger, int count, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema is at {Migration} ({Count} migration(s) applied)")]
    private static partial void LogSchemaVersion(ILogger logger, string migration, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database migration cancelled before it completed")]
    private static partial void LogCancelled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Database migration failed; dependent services will not start")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    private sealed record ShardWatermark(int Shard, long Commits);
}
