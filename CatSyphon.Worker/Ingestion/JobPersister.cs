using CatSyphon.Contracts;
using CatSyphon.Data;
using CatSyphon.Ingestion;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CatSyphon.Worker.Ingestion;

/// <summary>Stores the jobs of refused requests (stream <see cref="IngestionRedisKeys.Jobs"/>) in bulk.</summary>
public sealed class JobPersister(IngestionDatabase database, IOptions<IngestionWorkerOptions> options) : IStreamEntryPersister
{
    public async Task<PersistResult> PersistAsync(IReadOnlyList<StreamEntry> entries, CancellationToken cancellationToken)
    {
        var jobs = entries
            .Select(entry => BufferedBatchSerializer.DeserializeJob(StreamPayload.Read(entry)))
            .Select(job => (Job: job, job.ConversationId))
            .ToList();
        if (jobs.Count == 0)
        {
            return PersistResult.Empty;
        }

        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var batch = Sql.Batch(connection, transaction, options.Value.CommandTimeoutSeconds))
        {
            batch.BatchCommands.Add(JobRows.Insert(jobs, IngestionOutcome.Refused));
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return PersistResult.Empty;
    }
}

internal static class StreamPayload
{
    /// <summary>The entry's payload field; an entry without one is malformed (it goes to the dead letters).</summary>
    public static byte[] Read(StreamEntry entry)
    {
        foreach (var value in entry.Values)
        {
            if (value.Name == IngestionRedisKeys.PayloadField && !value.Value.IsNull)
            {
                return (byte[])value.Value!;
            }
        }

        throw new FormatException($"The stream entry has no '{IngestionRedisKeys.PayloadField}' field.");
    }
}
