namespace CatSyphon.Worker.Persisting;

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
        await using (var batch = new SqlTransaction(connection, transaction, options.Value.CommandTimeoutSeconds).Batch())
        {
            batch.BatchCommands.Add(JobRows.Insert(jobs, IngestionOutcome.Refused));
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return PersistResult.Empty;
    }
}
