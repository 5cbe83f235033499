namespace CatSyphon.Worker.Tests.Persisting;

[Collection(WorkerStoresCollection.Name)]
public sealed class JobPersisterTests(WorkerStores stores)
{
    [Fact]
    public async Task A_refused_request_is_stored_once_with_its_outcome_and_unknown_references_left_empty()
    {
        var session = await stores.NewSessionAsync();
        var job = session.Job(3, outcome: " Refused ") with { HttpStatus = 429, Error = "rate limited" };
        var entry = new StreamEntry("1-0", [new NameValueEntry(IngestionRedisKeys.PayloadField, BufferedBatchSerializer.Serialize(job))]);
        var persister = stores.CreateJobPersister();

        await persister.PersistAsync([entry], CancellationToken.None);
        await persister.PersistAsync([entry], CancellationToken.None);

        var row = await stores.RowAsync("SELECT * FROM ingestion_jobs WHERE id = $1", job.Id);
        Assert.Equal(("refused", 429, "rate limited", 3), (row["outcome"], row["http_status"], row["error"], row["received_events"]));
        Assert.Equal((session.CollectorId, (object?)null), (row["collector_id"], row["conversation_id"]));
    }

    [Fact]
    public async Task A_job_of_a_workspace_that_no_longer_exists_is_dropped()
    {
        var session = new TestSession(Guid.NewGuid(), Guid.NewGuid());
        var job = session.Job(1, outcome: "refused");
        var entry = new StreamEntry("1-0", [new NameValueEntry(IngestionRedisKeys.PayloadField, BufferedBatchSerializer.Serialize(job))]);

        await stores.CreateJobPersister().PersistAsync([entry], CancellationToken.None);

        Assert.Equal(0, await stores.CountAsync("SELECT count(*) FROM ingestion_jobs WHERE id = $1", job.Id));
    }
}
