namespace CatSyphon.Worker.Tests.Persisting;

[Collection(WorkerStoresCollection.Name)]
public sealed class JobPersisterTests(WorkerStores stores) : PersistingTest(stores)
{
    [Fact]
    public async Task A_refused_request_is_stored_once_with_its_outcome_and_unknown_references_left_empty()
    {
        var job = Session.Job(3, outcome: " Refused ") with { HttpStatus = 429, Error = "rate limited" };
        var entry = Entry(BufferedBatchSerializer.Serialize(job));
        var persister = Stores.CreateJobPersister();

        await persister.PersistAsync([entry], CancellationToken.None);
        await persister.PersistAsync([entry], CancellationToken.None);

        var row = await Stores.RowAsync("SELECT * FROM ingestion_jobs WHERE id = $1", job.Id);
        Assert.Equal(("refused", 429, "rate limited", 3), (row["outcome"], row["http_status"], row["error"], row["received_events"]));
        Assert.Equal((Session.CollectorId, (object?)null), (row["collector_id"], row["conversation_id"]));
    }

    [Fact]
    public async Task A_job_of_a_workspace_that_no_longer_exists_is_dropped()
    {
        var job = new TestSession(Guid.NewGuid(), Guid.NewGuid()).Job(1, outcome: "refused");

        await Stores.CreateJobPersister().PersistAsync([Entry(BufferedBatchSerializer.Serialize(job))], CancellationToken.None);

        Assert.Equal(0, await Stores.CountAsync("SELECT count(*) FROM ingestion_jobs WHERE id = $1", job.Id));
    }
}
