namespace CatSyphon.Worker.Tests.Persisting;

/// <summary><c>persisted_sequence</c> never passes a hole: ranges above one wait in <c>sequence_ranges</c> until it is filled.</summary>
[Collection(WorkerStoresCollection.Name)]
public sealed class PersistedSequenceTests(WorkerStores stores)
{
    [Fact]
    public async Task Ranges_above_a_hole_wait_and_move_persisted_sequence_when_it_is_filled()
    {
        var session = await stores.NewSessionAsync();
        var first = session.Batch(session.Event("message", new { content = "one" }), session.Event("message", new { content = "two" }));
        var hole = session.Batch(session.Event("message", new { content = "three" }));
        var above = session.Batch(session.Event("message", new { content = "four" }), session.Event("message", new { content = "five" }));
        var persister = stores.CreateBatchPersister();

        var afterFirst = await persister.PersistAsync([first], CancellationToken.None);
        var afterAbove = await persister.PersistAsync([above], CancellationToken.None);

        Assert.Equal(2, Assert.Single(afterFirst.Sessions).PersistedSequence);
        Assert.Equal(2, Assert.Single(afterAbove.Sessions).PersistedSequence);
        Assert.Equal((2L, 5L), await SequencesAsync(session));
        Assert.Equal([(3L, 5L)], await KeptRangesAsync(session));

        var afterHole = await persister.PersistAsync([hole], CancellationToken.None);

        Assert.Equal(5, Assert.Single(afterHole.Sessions).PersistedSequence);
        Assert.Equal((5L, 5L), await SequencesAsync(session));
        Assert.Empty(await KeptRangesAsync(session));
    }

    [Fact]
    public async Task A_range_of_duplicates_alone_moves_persisted_sequence()
    {
        var session = await stores.NewSessionAsync();
        var events = session.Batch(session.Event("message", new { content = "one" }));

        // Sequences 2 and 3 duplicated earlier events: the API accounts for them with a range and no event.
        var duplicates = session.Batch(1, 3);
        var persister = stores.CreateBatchPersister();
        await persister.PersistAsync([events], CancellationToken.None);
        var result = await persister.PersistAsync([duplicates], CancellationToken.None);

        Assert.Equal(0, result.EventsReceived);
        Assert.Equal(3, Assert.Single(result.Sessions).PersistedSequence);
        Assert.Equal((3L, 3L), await SequencesAsync(session));
    }

    [Fact]
    public async Task Each_commit_counts_in_its_shard_watermark()
    {
        var session = await stores.NewSessionAsync();
        var persister = stores.CreateBatchPersister();

        var first = await persister.PersistAsync([session.Batch(session.Event("message", new { content = "one" }))], CancellationToken.None);
        var second = await persister.PersistAsync([session.Batch(session.Event("message", new { content = "two" }))], CancellationToken.None);

        Assert.Equal(first.Commit!.Shard, second.Commit!.Shard);
        Assert.Equal(first.Commit.Commits + 1, second.Commit.Commits);
        Assert.Equal(second.Commit.Commits, await stores.CountAsync("SELECT commits FROM ingest_watermarks WHERE shard = $1", second.Commit.Shard));
    }

    private async Task<(long Persisted, long Last)> SequencesAsync(TestSession session)
    {
        var row = await stores.RowAsync("SELECT persisted_sequence, last_sequence FROM conversations WHERE session_id = $1", session.SessionId);
        return ((long)row["persisted_sequence"]!, (long)row["last_sequence"]!);
    }

    private async Task<List<(long After, long Through)>> KeptRangesAsync(TestSession session) =>
        [.. (await stores.RowsAsync("""
            SELECT r.after_sequence, r.through_sequence FROM sequence_ranges r JOIN conversations c ON c.id = r.conversation_id
            WHERE c.session_id = $1 ORDER BY r.after_sequence
            """, session.SessionId)).Select(row => ((long)row["after_sequence"]!, (long)row["through_sequence"]!))];
}
