namespace CatSyphon.Worker.Streams;

/// <summary>
/// Moves what the streams of the layout before hash tags (<see cref="LegacyIngestionKeys"/>) hold into today's streams:
/// at start and every minute, for as long as an API of the previous release may still buffer there during a rolling
/// upgrade. An entry that an old worker is persisting right now may be persisted twice, which changes nothing.
/// </summary>
/// <remarks>
/// A Redis Cluster never held that layout (its scripts span slots): there the look finds nothing, with single-key
/// commands only. Remove with
/// <see cref="LegacyIngestionKeys"/>.
/// </remarks>
public sealed class LegacyStreamDrain(
    IConnectionMultiplexer redis, IOptions<IngestionWorkerOptions> options, ILogger<LegacyStreamDrain> logger) : BackgroundService
{
    private const int EntriesPerStep = 500;
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    // One step: the oldest entries, appended to today's stream and taken off the old one; the emptied stream goes with its group.
    private const string MoveScript = """
        local entries = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', ARGV[1])
        for _, entry in ipairs(entries) do
          redis.call('XADD', KEYS[2], '*', unpack(entry[2]))
          redis.call('XDEL', KEYS[1], entry[1])
        end
        if redis.call('XLEN', KEYS[1]) == 0 then
          redis.call('DEL', KEYS[1])
        end
        return #entries
        """;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                await DrainAsync(redis.GetDatabase());
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                logger.LogDebug(exception, "Could not look for streams of the previous Redis layout; trying again in {Interval}.", Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<long> DrainAsync(IDatabase database)
    {
        long moved = 0;
        var anyLeft = false;
        foreach (var (legacy, current) in LegacyIngestionKeys.Streams())
        {
            if (!await database.KeyExistsAsync(legacy))
            {
                continue;
            }

            anyLeft = true;
            long step;
            do
            {
                step = (long)await database.ScriptEvaluateAsync(MoveScript, [legacy, current], [EntriesPerStep]);
                moved += step;
            }
            while (step == EntriesPerStep);
        }

        if (moved > 0)
        {
            logger.LogInformation("Moved {Count} buffered entries from the previous Redis layout's streams to today's.", moved);
        }
        else if (!anyLeft)
        {
            // Failed-attempt counts of the old streams' entries: they went with them.
            await database.KeyDeleteAsync(LegacyIngestionKeys.Attempts);
        }

        return moved;
    }
}
